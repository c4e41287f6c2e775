# A session whose process disappears without recording an end (kill -9) shows as crashed in
# `list --json` and `status --json`; the stale entry never blocks starting a new session.
file(REMOVE_RECURSE ${OUT})
set(REG ${OUT}/registry.sqlite)

# Starts a paced paper session; sets ${id_var} and ${pid_var}.
function(start_session id_var pid_var)
  execute_process(COMMAND ${PEAK} session --registry ${REG} start --mode paper
                          --config ${SOURCE}/config/paper_demo.toml --speed 200x --out ${OUT}
                          --json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "session start failed (${rc}): ${out} ${err}")
  endif()
  string(JSON id GET "${out}" id)
  string(JSON pid GET "${out}" pid)
  set(${id_var} ${id} PARENT_SCOPE)
  set(${pid_var} ${pid} PARENT_SCOPE)
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/session_helpers.cmake)

start_session(first first_pid)
session_status(${first} st)
if(NOT st MATCHES "\"state\":\"running\"")
  message(FATAL_ERROR "first session not running: ${st}")
endif()

# The process vanishes without recording an end.
execute_process(COMMAND kill -9 ${first_pid} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kill -9 ${first_pid} failed")
endif()
wait_session_status(${first} 50 0.1 st "\"state\":\"crashed\"")
if(NOT st MATCHES "\"state\":\"crashed\"" OR NOT st MATCHES "\"ended_at\":\"\"")
  message(FATAL_ERROR "killed session not shown as crashed by status: ${st}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} list --json OUTPUT_VARIABLE list)
string(JSON n LENGTH "${list}")
string(JSON listed_id GET "${list}" 0 id)
string(JSON listed_state GET "${list}" 0 state)
if(NOT n EQUAL 1 OR NOT listed_id STREQUAL first OR NOT listed_state STREQUAL "crashed")
  message(FATAL_ERROR "killed session not shown as crashed by list: ${list}")
endif()

# The stale entry does not block a new session in the same registry and directory.
start_session(second second_pid)
if(second STREQUAL first)
  message(FATAL_ERROR "new session reused the crashed session's id ${first}")
endif()
session_status(${second} st)
if(NOT st MATCHES "\"state\":\"running\"")
  message(FATAL_ERROR "second session not running next to a crashed entry: ${st}")
endif()
# `tail` works on the crashed entry (session log only: it wrote no evidence).
execute_process(COMMAND ${PEAK} session --registry ${REG} tail ${first} --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE tail)
string(JSON log_count ERROR_VARIABLE jerr LENGTH "${tail}" session_log)
if(NOT rc EQUAL 0 OR jerr OR log_count LESS 1)
  message(FATAL_ERROR "tail of the crashed session failed (${rc}): ${tail}")
endif()
# Stop the second one gracefully; it ends finished, and the crashed entry stays crashed.
execute_process(COMMAND ${PEAK} session --registry ${REG} stop ${second} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "stop of the second session failed (${rc}): ${out} ${err}")
endif()
wait_session_status(${second} 100 0.1 st "\"ended_at\":\"[^\"]+\"")
if(NOT st MATCHES "\"state\":\"finished\"" OR NOT st MATCHES "\"evidence\":\"[^\"]+\"")
  message(FATAL_ERROR "second session did not end finished with evidence: ${st}")
endif()
session_status(${first} st)
if(NOT st MATCHES "\"state\":\"crashed\"")
  message(FATAL_ERROR "crashed entry changed state: ${st}")
endif()

# Data that ends while trading is halted is still a proper end: `halted` with its end time and
# evidence, and never `crashed` once the process is gone.
file(READ ${SOURCE}/config/paper_demo.toml cfg)
string(REGEX REPLACE "\nevents = [0-9]+" "\nevents = 5000" cfg "${cfg}")
file(WRITE ${OUT}/short.toml "${cfg}")
execute_process(COMMAND ${PEAK} session --registry ${REG} start --mode paper
                        --config ${OUT}/short.toml --speed 200x --out ${OUT} --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "short session start failed (${rc}): ${out} ${err}")
endif()
string(JSON third GET "${out}" id)
string(JSON third_pid GET "${out}" pid)
execute_process(COMMAND ${PEAK} session --registry ${REG} kill ${third} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kill of the short session failed (${rc}): ${out} ${err}")
endif()
wait_process_gone(${third_pid} 100 alive)
session_status(${third} st)
if(NOT st MATCHES "\"state\":\"halted\"" OR NOT st MATCHES "\"ended_at\":\"[^\"]+\""
   OR NOT st MATCHES "\"evidence\":\"[^\"]+\"")
  message(FATAL_ERROR "session whose data ended while halted: expected halted with evidence: ${st}")
endif()
