# The foundation issue's command (1,000,000 synthetic events, seed 7) twice with
# --verify-determinism (byte-identical trades, equity, orders, audit log), then validates the pack.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${PEAK} run --mode paper --synthetic 1000000 --seed 7 --out ${OUT}
                        --verify-determinism
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "peak run failed (${rc}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "determinism  OK")
  message(FATAL_ERROR "determinism not confirmed:\n${out}")
endif()
string(REGEX MATCH "evidence     ([^\n]+)" _ "${out}")
set(pack ${CMAKE_MATCH_1})
foreach(f trades.csv equity.csv orders.csv run_manifest.json manifest.json metrics.json
          audit_log.jsonl config_snapshot.toml)
  if(NOT EXISTS ${pack}/${f})
    message(FATAL_ERROR "missing ${f} in ${pack}")
  endif()
endforeach()
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_VARIABLE vout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pack invalid (${rc}):\n${vout}")
endif()
# The manifest names every library whose version is known at compile time, each with a version.
file(READ ${pack}/run_manifest.json manifest)
string(JSON count LENGTH "${manifest}" libraries)
set(names "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${manifest}" libraries ${i} name)
  string(JSON version GET "${manifest}" libraries ${i} version)
  if(version STREQUAL "" OR version STREQUAL "unknown")
    message(FATAL_ERROR "library ${name} has no version: '${version}'")
  endif()
  list(APPEND names ${name})
endforeach()
foreach(lib simdjson sqlite caf spdlog fmt tomlplusplus cli11 compiler peak)
  list(FIND names ${lib} at)
  if(at EQUAL -1)
    message(FATAL_ERROR "run_manifest.json libraries lack ${lib}: ${names}")
  endif()
endforeach()
# The reference engine writes the same deterministic content as the actor graph.
execute_process(COMMAND ${PEAK} run --mode paper --synthetic 1000000 --seed 7 --out ${OUT}
                        --engine reference
                RESULT_VARIABLE rc OUTPUT_VARIABLE rout)
string(REGEX MATCH "evidence     ([^\n]+)" _ "${rout}")
execute_process(COMMAND ${PEAK} evidence compare ${pack} ${CMAKE_MATCH_1} RESULT_VARIABLE rc
                OUTPUT_VARIABLE cout)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "graph and reference packs differ:\n${cout}")
endif()
# Tampering is detected.
file(APPEND ${pack}/trades.csv "tampered\n")
execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "tampered pack not refused with exit 1 (got ${rc})")
endif()
