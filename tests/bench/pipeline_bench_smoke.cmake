# Smoke test of the pipeline harness's quick mode (CTest, from bench/CMakeLists.txt).
# Proves it runs and produces sane output: every run counted events, the paced runs
# recorded latency samples, and the JSON parses. Never gates on the numbers.
# Usage: cmake -DPIPELINE_BENCH=<path> -P pipeline_bench_smoke.cmake
if(NOT PIPELINE_BENCH)
  message(FATAL_ERROR "set -DPIPELINE_BENCH=<path to pipeline_bench>")
endif()

execute_process(COMMAND ${PIPELINE_BENCH} --quick --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pipeline_bench --quick --json exited ${rc}: ${err}")
endif()

string(JSON harness ERROR_VARIABLE jerr GET "${out}" harness)
if(jerr OR NOT harness STREQUAL "pipeline")
  message(FATAL_ERROR "output is not the harness JSON (${jerr}):\n${out}")
endif()
string(JSON runs LENGTH "${out}" runs)
if(NOT runs EQUAL 9)
  message(FATAL_ERROR "expected 9 runs (3 variants x throughput + 2 rates), got ${runs}")
endif()
math(EXPR last "${runs} - 1")
foreach(i RANGE ${last})
  string(JSON variant GET "${out}" runs ${i} variant)
  string(JSON events GET "${out}" runs ${i} events)
  string(JSON rate GET "${out}" runs ${i} rate)
  string(JSON eps GET "${out}" runs ${i} events_per_second)
  if(events LESS_EQUAL 0 OR eps LESS_EQUAL 0)
    message(FATAL_ERROR "run ${i} (${variant} at ${rate}/s) counted no events")
  endif()
  if(NOT rate EQUAL 0)
    string(JSON samples GET "${out}" runs ${i} tick_to_order samples)
    if(samples LESS_EQUAL 0)
      message(FATAL_ERROR "run ${i} (${variant} at ${rate}/s) recorded no tick-to-order sample")
    endif()
  endif()
endforeach()

execute_process(COMMAND ${PIPELINE_BENCH} --quick --only a --rates 1000
                RESULT_VARIABLE rc OUTPUT_VARIABLE table)
if(NOT rc EQUAL 0 OR NOT table MATCHES "throughput")
  message(FATAL_ERROR "table output failed (${rc}):\n${table}")
endif()
# The real capture, when the shared data is there (else the harness says it skipped it).
execute_process(COMMAND ${PIPELINE_BENCH} --quick --only a --capture default
                RESULT_VARIABLE rc OUTPUT_VARIABLE table)
if(NOT rc EQUAL 0 OR NOT (table MATCHES "throughput" OR table MATCHES "skipped"))
  message(FATAL_ERROR "capture run failed (${rc}):\n${table}")
endif()
message(STATUS "pipeline_bench quick mode ok: ${runs} runs")
