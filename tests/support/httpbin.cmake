# flow_test_httpbin: HttpbinUrl() and the skip-or-fail policy for tests that need a service
# (tests/support/httpbin.hpp); the server itself is tests/support/httpbin_server.py.
add_library(flow_test_httpbin STATIC ${PROJECT_SOURCE_DIR}/tests/support/httpbin.cpp)
target_include_directories(flow_test_httpbin PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/src)
target_compile_options(flow_test_httpbin PRIVATE ${FLOW_WARNINGS})
# Where the script is when FLOW_SOURCE_DIR is unset (a test binary run by hand).
target_compile_definitions(flow_test_httpbin PRIVATE FLOW_DEFAULT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(flow_test_httpbin PUBLIC GTest::gtest)

