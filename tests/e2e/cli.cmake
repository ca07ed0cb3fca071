# The flowtest binary as a black box: validation output, exit codes, reports, the examples, and
# the original engine's own suites against a local httpbin.
flow_test(flow_cli_e2e_test
  SOURCES ${PROJECT_SOURCE_DIR}/tests/e2e/cli_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/original_suites_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/javascript_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/reports_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/secrets_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/fmt_schema_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/import_export_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/init_graph_e2e_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/e2e/history_e2e_test.cpp
  DEPS flow_test_httpbin nlohmann_json::nlohmann_json util
  LABELS e2e)
target_compile_definitions(flow_cli_e2e_test PRIVATE FLOW_BINARY="$<TARGET_FILE:flowtest>")
add_dependencies(flow_cli_e2e_test flowtest)
