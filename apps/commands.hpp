#pragma once
/// Subcommand groups of the `peak` CLI. Each group lives in its own apps/<group>_commands.cpp
/// and reports its exit code by throwing CLI::RuntimeError(code) from its callback.

namespace CLI {
class App;
}  // namespace CLI

namespace peak::apps {

/// `peak evidence validate|compare|list`, `peak audit verify` (apps/evidence_commands.cpp).
void add_evidence_commands(CLI::App& root);

}  // namespace peak::apps
