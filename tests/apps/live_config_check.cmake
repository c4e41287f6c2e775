# A config whose session mode is "live" is refused with exit 2 and writes no evidence pack:
# once with the lock conditions failing, once with all of them holding (this build has no live
# broker adapter, so live is refused either way).
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(session "[session]\nmode = \"live\"\n\n[market_data]\nsource = \"synthetic\"\n\n[market_data.synthetic]\nevents = 100\n")
file(WRITE ${OUT}/live_locked.toml "${session}")
file(WRITE ${OUT}/live_unlocked.toml "${session}\n[live]\nenable = true\naccount = \"ACC-1\"\nallowlist = [\"ACC-1:SYN-A\"]\nvenue = \"127.0.0.1:9000\"\n")
foreach(cfg live_locked live_unlocked)
  execute_process(COMMAND ${PEAK} config check ${OUT}/${cfg}.toml RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cfg}.toml should be a valid config (${rc}):\n${out}\n${err}")
  endif()
  execute_process(COMMAND ${PEAK} run --config ${OUT}/${cfg}.toml --out ${OUT}/runs
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "peak run with ${cfg}.toml: expected exit 2, got ${rc}:\n${out}\n${err}")
  endif()
  if(EXISTS ${OUT}/runs)
    message(FATAL_ERROR "peak run with ${cfg}.toml wrote ${OUT}/runs")
  endif()
  execute_process(COMMAND ${PEAK} session --registry ${OUT}/registry.sqlite start
                          --config ${OUT}/${cfg}.toml --out ${OUT}/sessions
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "peak session start with ${cfg}.toml: expected exit 2, got ${rc}:\n${out}\n${err}")
  endif()
endforeach()
