package io.flexconnect.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of one shared subscription {@code $share/{group}/{filter}}: each matching message
 * goes to one member, round-robin over the connected ones, so that platform instances split the load.
 */
final class SharedGroup {
  final String filter;
  private final List<Session> members = new ArrayList<>();
  private final List<MqttQoS> qos = new ArrayList<>();
  private int next;

  SharedGroup(String filter) {
    this.filter = filter;
  }

  void put(Session session, MqttQoS granted) {
    int i = members.indexOf(session);
    if (i >= 0) {
      qos.set(i, granted);
    } else {
      members.add(session);
      qos.add(granted);
    }
  }

  void remove(Session session) {
    int i = members.indexOf(session);
    if (i >= 0) {
      members.remove(i);
      qos.remove(i);
    }
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * Picks the member for the next message: the next connected member with queue room; failing
   * that, any member with room (a persistent member that is away keeps it for its return);
   * failing that, the next member, whose full queue then makes the publish overflow.
   */
  int pick() {
    int size = members.size();
    int fallback = -1;
    for (int step = 0; step < size; step++) {
      int i = (next + step) % size;
      Session member = members.get(i);
      if (member.hasRoom()) {
        if (member.isConnected()) {
          next = (i + 1) % size;
          return i;
        }
        if (fallback < 0) {
          fallback = i;
        }
      }
    }
    int chosen = fallback >= 0 ? fallback : next % size;
    next = (chosen + 1) % size;
    return chosen;
  }

  /** Round-robin over connected members other than {@code leaving}; -1 when there is none. */
  int pickConnectedExcept(Session leaving) {
    int size = members.size();
    for (int step = 0; step < size; step++) {
      int i = (next + step) % size;
      Session member = members.get(i);
      if (member != leaving && member.isConnected()) {
        next = (i + 1) % size;
        return i;
      }
    }
    return -1;
  }

  Session member(int index) {
    return members.get(index);
  }

  MqttQoS qos(int index) {
    return qos.get(index);
  }
}
