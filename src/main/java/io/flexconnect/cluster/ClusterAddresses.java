package io.flexconnect.cluster;

/** Event-bus addresses of the cluster feature. */
public final class ClusterAddresses {
  private ClusterAddresses() {}

  /** Local: the MQTT subscription hands each received message here when clustered (not to ingest directly). */
  public static final String ROUTE = "flexconnect.cluster.route";
  /** Local: {@link Ownership} after every membership change. */
  public static final String OWNERSHIP = "flexconnect.cluster.ownership";
  /** Local: the cluster's state for /health (a JSON object); no consumer when not clustered. */
  public static final String STATUS = "flexconnect.cluster.status";
  /** Cluster-wide, one per member: messages forwarded to the owner of their device. */
  static final String INGEST_PREFIX = "flexconnect.cluster.ingest.";
  /** Cluster-wide: committed rows, for the live streams of every member. */
  static final String COMMITTED = "flexconnect.cluster.committed";
  /** Cluster-wide: alert transitions, for the live streams of every member. */
  static final String ALERTS = "flexconnect.cluster.alerts";
}
