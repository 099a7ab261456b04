package dev.platform.etl.testkit.kube;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the kubelet's image manager says of a pod's image before its container can start, with the
 * kubelet's reasons and messages: {@code InvalidImageName} for a reference that does not parse;
 * for an image this node cannot get, {@code ErrImagePull} at each pull, and in between
 * {@code ImagePullBackOff}, whose message ends with the pull's error, for a backoff that doubles
 * from 10 s up to 5 minutes. Nothing is pulled: an image is here when {@code present} says so.
 */
final class ImagePulls {
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(5);
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)";
    /** The grammar of a container image reference: [domain/]path[:tag][@digest]. */
    private static final Pattern REFERENCE = Pattern.compile(DOMAIN + "?" + COMPONENT + "(?:/" + COMPONENT + ")*"
            + "(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");

    /** Why the container waits, and the Event the kubelet records for it. */
    record Waiting(String reason, String message, String eventType, String eventReason, String eventMessage) {
    }

    private final Predicate<String> present;

    /** @param present whether this node has the image (by its full reference) */
    ImagePulls(Predicate<String> present) {
        this.present = present;
    }

    /** Why the pod's container cannot start yet for its image, if it cannot; a pull attempt is counted in {@code run}. */
    Optional<Waiting> check(PodProcess run, Instant now) {
        String image = run.image;
        Optional<String> invalid = invalidReference(image);
        if (invalid.isPresent()) {
            String message = "Failed to apply default image tag \"" + image + "\": couldn't parse image name \"" + image + "\": " + invalid.get();
            return Optional.of(new Waiting("InvalidImageName", message, "Warning", "InspectFailed", message));
        }
        if (present.test(image)) {
            return Optional.empty();
        }
        if (run.pullBackOffUntil != null && now.isBefore(run.pullBackOffUntil)) {
            String backOff = "Back-off pulling image \"" + image + "\"";
            return Optional.of(new Waiting("ImagePullBackOff", backOff + ": ErrImagePull: " + run.lastPullError, "Normal", "BackOff", backOff));
        }
        run.pullFailures++;
        Duration backOff = FIRST_BACKOFF.multipliedBy(1L << Math.min(run.pullFailures - 1, 10));
        run.pullBackOffUntil = now.plus(backOff.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backOff);
        run.lastPullError = "failed to pull and unpack image \"" + image + "\": failed to resolve reference \"" + image + "\": not found";
        return Optional.of(new Waiting("ErrImagePull", run.lastPullError, "Warning", "Failed",
                "Failed to pull image \"" + image + "\": " + run.lastPullError));
    }

    /** What is wrong with the reference, in the words of the container runtime's parser, if anything. */
    static Optional<String> invalidReference(String image) {
        if (REFERENCE.matcher(image).matches()) {
            return Optional.empty();
        }
        String repository = repository(image);
        return Optional.of(repository.equals(repository.toLowerCase(Locale.ROOT)) ? "invalid reference format"
                : "invalid reference format: repository name (" + repository + ") must be lowercase");
    }

    /** The reference without its registry, tag and digest; a bare name is in docker.io's {@code library/}. */
    private static String repository(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            name = name.substring(slash + 1);
        }
        int colon = name.lastIndexOf(':');
        name = colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
        return name.contains("/") ? name : "library/" + name;
    }
}
