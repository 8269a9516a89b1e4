package io.flexconnect.broker;

/**
 * MQTT 3.1.1 topic names and filters (section 4.7): validation and matching, without allocation.
 *
 * <pre>
 *   filter  sport/+/player1   matches  sport/tennis/player1
 *   filter  sport/#           matches  sport, sport/tennis, sport/tennis/player1
 *   filter  +/monitor         does not match  $SYS/monitor   ($-topics hide from leading wildcards)
 *   shared  $share/ingest/sport/#   group "ingest", filter "sport/#"
 * </pre>
 */
final class TopicFilter {

  static final String SHARE_PREFIX = "$share/";

  private TopicFilter() {
  }

  /** A topic name as published: non-empty, no wildcards, no NUL. */
  static boolean isValidTopicName(String topic) {
    if (topic == null || topic.isEmpty()) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#' || c == '\u0000') {
        return false;
      }
    }
    return true;
  }

  /** A plain (non-shared) filter: '+' and '#' occupy whole levels, '#' only as the last level. */
  static boolean isValidFilter(String filter) {
    if (filter == null || filter.isEmpty()) {
      return false;
    }
    int length = filter.length();
    for (int i = 0; i < length; i++) {
      char c = filter.charAt(i);
      if (c == '\u0000') {
        return false;
      }
      if (c == '+' || c == '#') {
        boolean wholeLevel = (i == 0 || filter.charAt(i - 1) == '/')
            && (i == length - 1 || filter.charAt(i + 1) == '/');
        if (!wholeLevel || (c == '#' && i != length - 1)) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  static boolean isShared(String filter) {
    return filter.startsWith(SHARE_PREFIX);
  }

  /** Whether {@code filter} is {@code $share/{group}/{filter}} with a valid group and filter. */
  static boolean isValidSharedFilter(String filter) {
    if (!isShared(filter)) {
      return false;
    }
    int groupEnd = filter.indexOf('/', SHARE_PREFIX.length());
    if (groupEnd <= SHARE_PREFIX.length()) {
      return false;
    }
    String group = filter.substring(SHARE_PREFIX.length(), groupEnd);
    return group.indexOf('+') < 0 && group.indexOf('#') < 0 && isValidFilter(filter.substring(groupEnd + 1));
  }

  /** The filter part of a valid shared subscription, {@code sport/#} of {@code $share/g/sport/#}. */
  static String sharedInnerFilter(String sharedFilter) {
    return sharedFilter.substring(sharedFilter.indexOf('/', SHARE_PREFIX.length()) + 1);
  }

  /** Both arguments must be valid; see the class comment for the rules. */
  static boolean matches(String filter, String topic) {
    if (topic.charAt(0) == '$' && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
      return false;
    }
    int filterLength = filter.length();
    int topicLength = topic.length();
    int f = 0;
    int t = 0;
    while (true) {
      int filterEnd = levelEnd(filter, f);
      if (filterEnd - f == 1 && filter.charAt(f) == '#') {
        return true;
      }
      int topicEnd = levelEnd(topic, t);
      boolean plus = filterEnd - f == 1 && filter.charAt(f) == '+';
      if (!plus && (filterEnd - f != topicEnd - t || !filter.regionMatches(f, topic, t, filterEnd - f))) {
        return false;
      }
      boolean filterDone = filterEnd == filterLength;
      boolean topicDone = topicEnd == topicLength;
      if (filterDone || topicDone) {
        // "a/#" also matches its parent "a": the only way a filter may outlast the topic.
        return filterDone && topicDone
            || topicDone && filterEnd + 2 == filterLength && filter.charAt(filterEnd + 1) == '#';
      }
      f = filterEnd + 1;
      t = topicEnd + 1;
    }
  }

  private static int levelEnd(String s, int from) {
    int slash = s.indexOf('/', from);
    return slash < 0 ? s.length() : slash;
  }
}
