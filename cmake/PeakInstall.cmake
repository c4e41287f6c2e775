# `cmake --install <build> --prefix <dir>` gives a self-contained operator tree:
#   bin/peak (and bin/peak-bench once it exists)
#   share/peak/alerts     Prometheus alert rules and their promtool tests
#   share/peak/grafana    the Grafana dashboard (JSON)
#   share/peak/config     example session configs (peak config check / peak run --config)
#   share/doc/peak/runbooks  the operator runbooks
# Runs write their evidence packs to ./runs under the working directory (--out to change it),
# so the installed binary works from any directory. tests/install checks this tree.
set(PEAK_INSTALL_DATADIR ${CMAKE_INSTALL_DATAROOTDIR}/peak)
set(PEAK_INSTALL_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/peak)
foreach(program peak peak-bench)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
set(alerts ${PROJECT_SOURCE_DIR}/observability/alerts)
install(FILES ${alerts}/peak_alerts.yml ${alerts}/peak_alerts_test.yml
        DESTINATION ${PEAK_INSTALL_DATADIR}/alerts)
install(FILES ${PROJECT_SOURCE_DIR}/observability/grafana/peak_session.json
        DESTINATION ${PEAK_INSTALL_DATADIR}/grafana)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/ DESTINATION ${PEAK_INSTALL_DATADIR}/config
        FILES_MATCHING PATTERN "*.toml")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/runbooks/ DESTINATION ${PEAK_INSTALL_DOCDIR}/runbooks
        FILES_MATCHING PATTERN "*.md")
