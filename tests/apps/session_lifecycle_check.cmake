# Start a paced paper session as a detached process, see it in the registry, pull the kill
# switch through the control endpoint from this (separate) process, then stop it. EXTRA (if
# set) is passed to `peak session start` (e.g. --spin).
file(REMOVE_RECURSE ${OUT})
set(REG ${OUT}/registry.sqlite)
include(${CMAKE_CURRENT_LIST_DIR}/session_helpers.cmake)
execute_process(COMMAND ${PEAK} session --registry ${REG} start --mode paper
                        --config ${SOURCE}/config/paper_demo.toml --speed 200x --out ${OUT}
                        ${EXTRA}
                RESULT_VARIABLE rc OUTPUT_VARIABLE id ERROR_VARIABLE err
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "session start failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} list --json OUTPUT_VARIABLE list)
if(NOT list MATCHES "\"state\":\"running\"")
  message(FATAL_ERROR "session not running: ${list}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} kill ${id} RESULT_VARIABLE rc
                OUTPUT_VARIABLE kill ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT kill MATCHES "orders_after_trigger=0")
  message(FATAL_ERROR "kill failed (${rc}): ${kill} ${err}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} status ${id} --json OUTPUT_VARIABLE st)
if(NOT st MATCHES "\"state\":\"halted\"")
  message(FATAL_ERROR "session not halted after kill: ${st}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} rearm ${id} --operator ctest
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rearm failed: ${out}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} stop ${id} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "stop failed: ${out}")
endif()
# The process drains and writes its evidence; wait (bounded) for it to record its end.
wait_session_status(${id} 100 0.2 st "\"ended_at\":\"[^\"]+\""
                    "\"evidence\":\"[^\"]+\"")
# A graceful stop is a proper end, even after a halt and a re-arm: finished, never halted.
if(NOT st MATCHES "\"state\":\"finished\"" OR NOT st MATCHES "\"registered_state\":\"finished\"")
  message(FATAL_ERROR "session stopped after kill+rearm did not end finished: ${st}")
endif()
if(NOT st MATCHES "\"evidence\":\"([^\"]+)\"")
  message(FATAL_ERROR "session did not finish with evidence: ${st}")
endif()
set(pack ${CMAKE_MATCH_1})
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_VARIABLE v)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "session evidence invalid: ${v}")
endif()
# The kill's latencies are in the pack (run_manifest.json, under wall_clock).
file(READ ${pack}/run_manifest.json manifest)
string(JSON halt_reason ERROR_VARIABLE jerr GET "${manifest}" wall_clock halts 0 reason)
string(JSON halt_after ERROR_VARIABLE jerr2 GET "${manifest}" wall_clock halts 0
       orders_after_trigger)
string(JSON halt_all ERROR_VARIABLE jerr3 GET "${manifest}" wall_clock halts 0
       trigger_to_all_acknowledged_ns)
if(jerr OR jerr2 OR jerr3 OR NOT halt_reason STREQUAL "operator_command" OR NOT halt_after EQUAL 0
   OR NOT halt_all GREATER 0)
  message(FATAL_ERROR "the pack does not record the halt (${jerr} ${jerr2} ${jerr3}): ${manifest}")
endif()
# The registry's config hash is the pack's (SHA-256 of the redacted config snapshot).
if(NOT st MATCHES "\"config_hash\":\"([0-9a-f]+)\"")
  message(FATAL_ERROR "no config hash in the registry: ${st}")
endif()
set(registry_hash ${CMAKE_MATCH_1})
file(READ ${pack}/run_manifest.json manifest)
if(NOT manifest MATCHES "\"config_hash\": *\"([0-9a-f]+)\"")
  message(FATAL_ERROR "no config hash in ${pack}/run_manifest.json")
endif()
string(LENGTH "${registry_hash}" len)
if(NOT len EQUAL 64 OR NOT registry_hash STREQUAL CMAKE_MATCH_1)
  message(FATAL_ERROR "registry config hash ${registry_hash} != pack's ${CMAKE_MATCH_1}")
endif()
# Once the process is gone, the ended session still shows finished (never crashed).
if(NOT st MATCHES "\"pid\":([0-9]+)")
  message(FATAL_ERROR "no pid: ${st}")
endif()
set(pid ${CMAKE_MATCH_1})
wait_process_gone(${pid} 50 alive)
if(alive EQUAL 0)
  message(FATAL_ERROR "session process ${pid} still runs after its end")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} list --json OUTPUT_VARIABLE list)
if(NOT list MATCHES "\"state\":\"finished\"" OR list MATCHES "crashed")
  message(FATAL_ERROR "ended session shown other than finished once its process is gone: ${list}")
endif()
# `tail` prints the session log and the latest decisions (the pack's audit log).
execute_process(COMMAND ${PEAK} session --registry ${REG} tail ${id} -n 5 RESULT_VARIABLE rc
                OUTPUT_VARIABLE tail ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT tail MATCHES "== session log"
   OR NOT tail MATCHES "== decisions")
  message(FATAL_ERROR "tail failed (${rc}): ${tail} ${err}")
endif()
execute_process(COMMAND ${PEAK} session --registry ${REG} tail ${id} -n 3 --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE tail)
string(JSON log_count ERROR_VARIABLE jerr LENGTH "${tail}" session_log)
string(JSON audit_count ERROR_VARIABLE jerr2 LENGTH "${tail}" audit_log)
if(NOT rc EQUAL 0 OR jerr OR jerr2 OR NOT log_count EQUAL 3 OR NOT audit_count EQUAL 3)
  message(FATAL_ERROR "tail --json: expected 3 lines of each log (${rc} ${jerr} ${jerr2}): ${tail}")
endif()
