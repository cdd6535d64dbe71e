package org.threadlab.grading;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class under {@code grading/hidden/src} as hidden tests of an exercise; the grader
 * compiles those sources only at grade time and finds the classes by this annotation.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HiddenTests {
    /** The exercise name, e.g. {@code "bank-account"}. */
    String value();
}
