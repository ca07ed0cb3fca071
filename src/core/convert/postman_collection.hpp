// The essential structure of a Postman collection (format v2.0 and v2.1), checked without the
// official JSON schema (not available offline): what the importer relies on when it reads a
// collection, and what the exporter must produce. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/value.hpp"

namespace flow::core::convert {

inline constexpr std::string_view kPostmanSchemaV21 =
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

enum class PostmanVersion { kV20, kV21 };

// The last line of a folder description the exporter writes ("flowtest node_id: auth"): the
// importer takes the suite's node_id from it, so an exported collection imports back with the
// same node ids.
inline constexpr std::string_view kPostmanNodeIdMarker = "flowtest node_id: ";

// Every structural problem of `collection`, each an InvalidArgument with `pointer` set to the
// node at fault ("/item/0/request/header/2/key"): the types of info, item (folders and requests),
// request, url, header, body (modes raw, urlencoded, formdata, file, graphql), auth, event and
// variable, and the keys they require. With `version` kV21 the auth parameters must be lists of
// {key, value} (v2.0 also allows a map). Unknown keys are allowed, as in the schema.
std::vector<Error> CheckPostmanCollection(const Value& collection,
                                          PostmanVersion version = PostmanVersion::kV21);

}  // namespace flow::core::convert
