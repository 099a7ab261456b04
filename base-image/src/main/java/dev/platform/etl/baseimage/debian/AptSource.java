package dev.platform.etl.baseimage.debian;

/** One suite of an archive, as a line of an apt sources list names it. */
public record AptSource(String uri, String suite) {}
