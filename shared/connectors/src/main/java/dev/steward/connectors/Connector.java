package dev.steward.connectors;

import java.util.List;

/** A vendor integration (email, Slack, a CRM): a named set of tools sharing one configuration. */
public interface Connector {

    /** Short lower-case name, e.g. {@code email}. */
    String name();

    List<Tool> tools();
}
