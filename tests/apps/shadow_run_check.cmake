# Runs a shadow session twice with --verify-determinism (exit 0, determinism confirmed), then
# validates the pack.
include(${CMAKE_CURRENT_LIST_DIR}/run_helpers.cmake)
file(REMOVE_RECURSE ${OUT})
peak_run(out pack --mode shadow --synthetic 20000 --seed 3 --verify-determinism
         --out ${OUT})
if(NOT out MATCHES "determinism  OK")
  message(FATAL_ERROR "determinism not confirmed:\n${out}")
endif()
file(READ ${pack}/run_manifest.json manifest)
string(JSON mode GET "${manifest}" mode)
if(NOT mode STREQUAL "shadow")
  message(FATAL_ERROR "run_manifest.json mode is '${mode}', expected shadow")
endif()
expect_pack_valid(${pack})
