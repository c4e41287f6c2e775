# `peak run --spin` on a paced replay (20,000 synthetic events ~50 ms apart at 20,000x:
# about 0.05 s of wall time) against the reference engine: identical deterministic content.
include(${CMAKE_CURRENT_LIST_DIR}/run_helpers.cmake)
file(REMOVE_RECURSE ${OUT})
set(session --mode paper --synthetic 20000 --seed 7 --speed 20000x --out ${OUT})
peak_run(out pack ${session} --spin)
peak_run(rout reference_pack ${session} --engine reference)
expect_packs_equal(${pack} ${reference_pack} "spinning graph against the reference engine")
expect_pack_valid(${pack})
