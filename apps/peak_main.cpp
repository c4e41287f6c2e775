/// peak — the Peak Trade operator CLI.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "apps/commands.hpp"

#ifndef PEAK_VERSION
#define PEAK_VERSION "0.0.0"
#endif

namespace {
std::string g_command_line;  // NOLINT: set once in main before any command runs
}  // namespace

const std::string& peak::apps::command_line() {
  return g_command_line;
}

int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    g_command_line += (i ? " " : "") + std::string(argv[i]);
  CLI::App app{
      "Peak Trade: a low-latency, governance-first day-trading pipeline.\n"
      "Shadow and paper sessions only; live trading is locked (see docs/EVIDENCE.md).\n"
      "Exit codes: 0 ok, 1 problem found (invalid pack, mismatch, tripwire), 2 bad input\n"
      "(usage, config, missing file), 3 internal error.",
      "peak"};
  app.set_version_flag("--version", std::string("peak ") + PEAK_VERSION);
  app.require_subcommand(1);
  peak::apps::add_run_command(app);
  peak::apps::add_config_commands(app);
  peak::apps::add_session_commands(app);
  peak::apps::add_drill_commands(app);
  peak::apps::add_evidence_commands(app);
  peak::apps::add_bench_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return peak::apps::exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "peak: internal error: " << e.what() << "\n";
    return peak::apps::exit_internal;
  }
  return peak::apps::exit_ok;
}
