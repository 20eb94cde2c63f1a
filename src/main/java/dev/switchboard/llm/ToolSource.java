package dev.switchboard.llm;

import java.util.List;

/**
 * Tools whose set changes at run time (the allowed tools of the current tenant's registered MCP servers), as
 * opposed to the fixed tools modules contribute as {@link Tool} beans.
 */
public interface ToolSource {

    /** The tools this source offers the current tenant now; cheap (served from a cache), never throws. */
    List<Tool> tools();
}
