#include <CLI/CLI.hpp>
#include <iostream>

#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
#include "config/session_config.hpp"

namespace peak::apps {

void add_config_commands(CLI::App& root) {
  CLI::App* config = root.add_subcommand("config", "Inspect session configuration files");
  config->require_subcommand(1);
  CLI::App* check = config->add_subcommand(
      "check", "Validate a session config; prints every problem (file:line: key: expected, found)");
  auto file = std::make_shared<std::string>();
  auto print = std::make_shared<bool>(false);
  check->add_option("FILE", *file, "TOML session config")->required();
  check->add_flag("--print", *print, "Print the canonical (normalised) config when valid");
  check->callback([file, print] {
    try {
      const config::session_config cfg = config::load_config(*file);
      std::cout << visible(*file) << ": OK (" << cfg.instruments.size() << " instrument(s), "
                << cfg.strategies.size() << " strategy(ies), mode "
                << config::to_string(cfg.session.mode) << ")\n";
      if (*print)
        std::cout << visible_lines(config::to_toml(cfg));
    } catch (const config::config_error& e) {
      for (const std::string& p : e.problems())
        std::cerr << visible(p) << "\n";
      std::cerr << visible(*file) << ": " << e.problems().size() << " problem(s); config refused\n";
      throw CLI::RuntimeError(exit_bad_input);
    }
  });
}

}  // namespace peak::apps
