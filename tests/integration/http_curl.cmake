# CurlHttpClient against a local httpbin (tests/support/httpbin.hpp starts one when
# FLOW_HTTPBIN_URL is unset), plus the test of that helper.
flow_test(flow_http_curl_integration_test
  SOURCES ${PROJECT_SOURCE_DIR}/tests/integration/http_curl_test.cpp
  DEPS flow_http_curl flow_run flow_cookies flow_test_httpbin
  LABELS integration)
