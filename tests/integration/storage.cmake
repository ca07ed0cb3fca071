# Storage: the repository conformance suite and the migration tests, against SQLite (temporary
# files), the in-memory stores (adapters/memory) and PostgreSQL (a fresh database per test on
# $FLOW_PG_URL; scripts/postgres.sh).
add_library(flow_test_store_backends STATIC ${PROJECT_SOURCE_DIR}/tests/support/store_backends.cpp)
target_include_directories(flow_test_store_backends PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/src)
target_compile_options(flow_test_store_backends PRIVATE ${FLOW_WARNINGS})
target_link_libraries(flow_test_store_backends PUBLIC flow_storage flow_test_httpbin GTest::gtest)

flow_test(flow_store_conformance_test
  SOURCES ${PROJECT_SOURCE_DIR}/tests/integration/store_conformance_test.cpp
  DEPS flow_test_store_backends flow_memory
  LABELS integration)
flow_test(flow_storage_migrations_test
  SOURCES ${PROJECT_SOURCE_DIR}/tests/integration/migrations_test.cpp
  DEPS flow_test_store_backends
  LABELS integration)
