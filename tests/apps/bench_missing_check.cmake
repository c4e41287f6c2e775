# `peak bench pipeline` runs peak-bench from peak's own directory. Without it (a broken
# installation, not the user's input) it says so and exits 3.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
file(COPY ${PEAK} DESTINATION ${OUT})
get_filename_component(name ${PEAK} NAME)
execute_process(COMMAND ${OUT}/${name} bench pipeline --quick RESULT_VARIABLE rc OUTPUT_QUIET
                ERROR_VARIABLE err)
if(NOT rc EQUAL 3)
  message(FATAL_ERROR "peak without peak-bench: expected exit 3, got ${rc}:\n${err}")
endif()
if(NOT err MATCHES "peak-bench")
  message(FATAL_ERROR "the error does not name peak-bench:\n${err}")
endif()
