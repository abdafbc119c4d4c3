package dev.ipsim.commands.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** iproute2's json_writer output, compact and pretty (oracle: link-show, link-veth-lifecycle). */
class JsonWriterTest {

    private static String link(boolean pretty) {
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb);
        w.setPretty(pretty);
        w.startArray();
        w.startObject();
        w.name("ifindex");
        w.number(3);
        w.name("ifname");
        w.string("veth0");
        w.name("flags");
        w.startArray();
        w.string("BROADCAST");
        w.string("MULTICAST");
        w.endArray();
        w.name("mtu");
        w.number(1500);
        w.endObject();
        w.endArray();
        w.finish();
        return sb.toString();
    }

    @Test
    void compactOutputHasNoSpaces() {
        assertEquals("[{\"ifindex\":3,\"ifname\":\"veth0\",\"flags\":[\"BROADCAST\",\"MULTICAST\"],\"mtu\":1500}]\n",
                link(false));
    }

    @Test
    void prettyOutputIndentsByFourAndKeepsScalarArraysOnOneLine() {
        assertEquals("[ {\n"
                + "        \"ifindex\": 3,\n"
                + "        \"ifname\": \"veth0\",\n"
                + "        \"flags\": [ \"BROADCAST\",\"MULTICAST\" ],\n"
                + "        \"mtu\": 1500\n"
                + "    } ]\n", link(true));
    }

    @Test
    void stringsAreEscaped() {
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb);
        w.startObject();
        w.name("ifalias");
        w.string("a \"b\"\t\\");
        w.endObject();
        w.finish();
        assertEquals("{\"ifalias\":\"a \\\"b\\\"\\t\\\\\"}\n", sb.toString());
    }
}
