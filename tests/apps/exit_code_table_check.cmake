# The exit-code contract of user errors: bad input (usage, config, missing or unreadable
# files, bad directories, unknown ids) is 2, never 3 (internal error). Each row: the
# expected code, then the arguments of `peak`.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
file(WRITE ${OUT}/a_file "not a directory\n")
file(WRITE ${OUT}/not_sqlite "this file is not an SQLite database, whatever its name says\n")
set(rows
  "2|frobnicate"
  "2|run|--frobnicate"
  "2|run|--threads|x"
  "2|run|--mode|live|--synthetic|10|--out|${OUT}/live"
  "2|run|--config|${OUT}/missing.toml"
  "2|run|--config|${OUT}"
  "2|run|--data|${OUT}/missing.csv"
  "2|run|--data|${OUT}"
  "2|run|--synthetic|10|--out|${OUT}/a_file"
  "2|run|--synthetic|10|--out|${OUT}/a_file/runs"
  "2|config|check|${OUT}/missing.toml"
  "2|config|check|${OUT}"
  "2|session|list|--registry|${OUT}/a_file/registry.sqlite"
  "2|session|list|--registry|${OUT}/not_sqlite"
  "2|session|--registry|${OUT}/registry.sqlite|status|no-such-id"
  "2|session|status|no-such-id|--registry|${OUT}/registry.sqlite"
  "2|session|kill|no-such-id|--registry|${OUT}/registry.sqlite"
  "2|session|start|--registry|${OUT}/registry.sqlite|--data|${OUT}/missing.csv"
  "2|session|start|--registry|${OUT}/registry.sqlite|--out|${OUT}/a_file"
  "2|session|start|--registry|${OUT}/a_file/registry.sqlite"
  "2|drill|kill-switch|--trials|1|--out|${OUT}/a_file"
  "2|evidence|validate|${OUT}/missing"
  "2|evidence|compare|${OUT}/missing|${OUT}/missing2"
  "2|audit|verify|${OUT}/missing.jsonl"
  "2|audit|verify|${OUT}"
  "2|bench|pipeline|--threads|x"
  "0|config|check|${SOURCE}/config/paper_demo.toml"
)
set(failures "")
foreach(row IN LISTS rows)
  string(REPLACE "|" ";" args "${row}")
  list(POP_FRONT args expected)
  execute_process(COMMAND ${PEAK} ${args} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL expected)
    string(APPEND failures "  peak ${args}: expected ${expected}, got ${rc}: ${err}\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "exit codes differ from the contract:\n${failures}")
endif()
