package dev.ipsim.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A wrapper that extends {@link ForwardingContext} passes on every call it does not override,
 * including calls to {@link Context} methods added after the wrapper was written.
 */
class ForwardingContextTest {

    private static List<Method> contextMethods() {
        List<Method> methods = new ArrayList<>();
        for (Method m : Context.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                methods.add(m);
            }
        }
        assertFalse(methods.isEmpty());
        return methods;
    }

    @Test
    void overridesEveryMethodOfContextDefaultOnesIncluded() {
        List<String> missing = new ArrayList<>();
        for (Method m : contextMethods()) {
            try {
                ForwardingContext.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        assertEquals(List.of(), missing, "Context methods ForwardingContext does not pass on");
    }

    @Test
    void passesEachCallOnWithItsArgumentsAndReturnsTheAnswer() throws Exception {
        List<String> seen = new ArrayList<>();
        Object[] answer = new Object[1];
        Context inner = (Context) Proxy.newProxyInstance(Context.class.getClassLoader(),
                new Class<?>[] {Context.class}, (proxy, method, args) -> {
                    seen.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
                    return answer[0];
                });
        Context wrapper = new ForwardingContext(inner) {
        };
        for (Method m : contextMethods()) {
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = sample(m.getParameterTypes()[i]);
            }
            answer[0] = sample(m.getReturnType());
            seen.clear();
            Object result;
            try {
                result = m.invoke(wrapper, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(m.getName() + " threw", e.getCause());
            }
            assertEquals(List.of(m.getName() + Arrays.toString(args)), seen, m.getName());
            if (m.getReturnType() != void.class) {
                assertEquals(answer[0], result, m.getName() + "'s answer");
            }
        }
    }

    /** A value of {@code type} that no default method would make up by itself. */
    private static Object sample(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.TRUE;
        } else if (type == long.class) {
            return 4242L;
        } else if (type == int.class) {
            return 42;
        } else if (type == String.class) {
            return "sample";
        } else if (type == List.class) {
            return List.of("a", "b");
        } else if (type == void.class) {
            return null;
        }
        return null;
    }
}
