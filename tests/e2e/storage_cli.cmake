# The operator's database commands (migrate, user, db), and a run recorded with --database,
# against SQLite and the PostgreSQL of $FLOW_PG_URL (scripts/postgres.sh; scripts/test.sh starts
# one).
flow_test(flow_storage_cli_e2e_test
  SOURCES ${PROJECT_SOURCE_DIR}/tests/e2e/storage_cli_e2e_test.cpp
  DEPS flow_test_store_backends flow_test_httpbin
  LABELS e2e)
target_compile_definitions(flow_storage_cli_e2e_test PRIVATE FLOW_BINARY="$<TARGET_FILE:flowtest>")
add_dependencies(flow_storage_cli_e2e_test flowtest)
