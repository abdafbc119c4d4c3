package dev.ipsim.commands;

import dev.ipsim.kernel.NetNamespace;
import java.util.List;

/** The named network namespaces: the files of {@code /run/netns}, in directory order. */
public interface NetnsNames {

    /** The namespace bound to {@code name}, or {@code null}. */
    NetNamespace lookup(String name);

    /** The names, in the order {@code readdir} returns them. */
    List<String> names();

    /** The first name bound to {@code ns}, or {@code null}. */
    String nameOf(NetNamespace ns);

    /** Binds a name; false when the name is taken. */
    boolean bind(String name, NetNamespace ns);

    /** Unbinds a name; returns the namespace it named, or {@code null}. */
    NetNamespace unbind(String name);
}
