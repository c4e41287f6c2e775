# Helpers shared by the `peak run` CLI checks (run with cmake -P). The including script sets
# PEAK (the peak binary).

# Runs `peak run` with the arguments after pack_var; fails the test unless it exits 0. Sets
# ${out_var} to what it printed and ${pack_var} to the evidence pack it names.
function(peak_run out_var pack_var)
  execute_process(COMMAND ${PEAK} run ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "peak run ${ARGN} failed (${rc}):\n${out}\n${err}")
  endif()
  string(REGEX MATCH "evidence     ([^\n]+)" _ "${out}")
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${pack_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# Fails the test unless `peak evidence compare a b` finds the same deterministic content.
function(expect_packs_equal a b what)
  execute_process(COMMAND ${PEAK} evidence compare ${a} ${b} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE cout)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what}: packs differ:\n${cout}")
  endif()
endfunction()

# Fails the test unless `peak evidence validate pack` accepts the pack.
function(expect_pack_valid pack)
  execute_process(COMMAND ${PEAK} evidence validate ${pack} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE vout)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pack ${pack} invalid (${rc}):\n${vout}")
  endif()
endfunction()
