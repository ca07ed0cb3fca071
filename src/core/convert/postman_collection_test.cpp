#include "core/convert/postman_collection.hpp"

#include <gtest/gtest.h>

namespace flow::core::convert {
namespace {

std::vector<std::string> Problems(const char* json, PostmanVersion version = PostmanVersion::kV21) {
  std::vector<std::string> out;
  for (const Error& e : CheckPostmanCollection(Value::parse(json), version))
    out.push_back(e.pointer + ": " + e.message);
  return out;
}

TEST(PostmanCollection, AWellFormedCollectionHasNoProblems) {
  EXPECT_TRUE(Problems(R"({
    "info": {"name": "c", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
             "description": {"content": "d", "type": "text/markdown"}},
    "variable": [{"key": "a", "value": 1, "type": "number"}, {"id": "b", "value": "x"}],
    "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "t"}]},
    "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": ["a", "b"]}}],
    "item": [
      {"name": "folder", "item": [{"name": "r", "request": "https://x"}], "variable": []},
      {"name": "r2", "request": {"method": "POST",
        "url": {"raw": "h/p?q=1", "host": ["h"], "path": ["p", {"type": "string", "value": "x"}],
                "query": [{"key": "q", "value": null}], "variable": [{"key": "id", "value": "1"}]},
        "header": [{"key": "A", "value": "b", "disabled": false}],
        "body": {"mode": "formdata", "formdata": [{"key": "f", "type": "file", "src": ["a", "b"]},
                                                   {"key": "t", "value": "v", "type": "text"}]}},
       "response": [], "protocolProfileBehavior": {"followRedirects": false}}
    ]})")
                  .empty());
}

TEST(PostmanCollection, EachProblemIsNamedAtItsPlace) {
  EXPECT_EQ(Problems("[]"),
            std::vector<std::string>{": a Postman collection must be a JSON object, got array"});
  EXPECT_EQ(
      Problems(R"({"item": []})"),
      std::vector<std::string>{": a Postman collection needs 'info' (with 'name' and 'schema')"});
  const std::vector<std::string> expected = {
      "/info/name: 'name' must be a string, got number",
      "/item/0/request/url/query: 'query' must be a list, got object",
      "/item/0/request/header/0: missing 'value'",
      "/item/0/request/body/mode: 'mode' must be one of raw, urlencoded, formdata, file, graphql",
      "/item/0/request/body/urlencoded/0/key: 'key' must be a string, got boolean",
      "/item/1: an item needs 'request' (a request) or 'item' (a folder)",
      "/item/2/auth/basic: 'basic' must be a list of {key, value}, got object",
      "/item/2/item/0/event/0/script/exec/1: item 1 of 'exec' must be a string, got number",
      "/variable/0/type: 'type' of a variable must be string, boolean, any or number",
  };
  EXPECT_EQ(Problems(R"({
    "info": {"name": 5},
    "item": [
      {"request": {"url": {"query": {}}, "header": [{"key": "a"}],
                   "body": {"mode": "binary", "urlencoded": [{"key": true}]}}},
      {"name": "empty"},
      {"item": [{"request": "x", "event": [{"listen": "test", "script": {"exec": ["a", 1]}}]}],
       "auth": {"type": "basic", "basic": {"username": "u"}}}
    ],
    "variable": [{"key": "v", "type": "date"}]})"),
            expected);
  // v2.0 allows auth parameters as a map.
  EXPECT_TRUE(Problems(R"({"info": {"name": "x"}, "item": [{"request": {"url": "u",
      "auth": {"type": "basic", "basic": {"username": "u"}}}}]})",
                       PostmanVersion::kV20)
                  .empty());
}

}  // namespace
}  // namespace flow::core::convert
