// ImportOpenApi: an OpenAPI 3.0/3.1 or Swagger 2.0 document (already loaded, JSON or YAML) into
// flowtest suites, one per tag, as YAML text. Pure: text in (the Document), text out.
//
// What it writes (docs/import-export.md has the details and the reasons):
//   - one suite per tag (an operation goes to its first tag, or its first tag selected with
//     `tags`; untagged operations to `default`), node_id a slug of the tag, base_url from
//     servers[0] (server variables replaced by their defaults) or schemes/host/basePath;
//   - one step per operation, in the order of the spec, DELETE operations last; path parameters
//     become suite variables; query, header and cookie parameters that are required or have an
//     example are sent; request bodies from `example`/`examples`, else generated from the schema
//     (faker templates from core/convert/faker_tokens for strings);
//   - `status_code` of the first documented 2xx (else 2XX, default: 200-299; a 3xx-only operation
//     is checked without following redirects), plus the response schema's safe body checks
//     (top-level type, types of required top-level fields);
//   - POST operations whose response schema has an `id` capture it, into the path variable of
//     the item path (`POST /pets` feeds `{petId}` of `/pets/{petId}`) when there is one;
//   - bearer/OAuth2/OpenID, basic and apiKey security: headers (or query parameters, cookies)
//     reading suite variables that default to environment variables (`{{$env.API_TOKEN}}`).
// Errors (kInvalidArgument) point at the place of the document: not OpenAPI, wrong types of the
// structure, a local $ref that names nothing or loops. What is imported approximately gives a
// warning with its place.
#pragma once

#include <string>
#include <vector>

#include "core/convert/conversion.hpp"
#include "core/parse/document.hpp"
#include "core/result.hpp"

namespace flow::core::convert {

struct OpenApiImportOptions {
  std::string base_url;           // replaces the spec's servers / host when not empty
  std::vector<std::string> tags;  // only operations with one of these tags (case-insensitive)
};

Result<ImportResult> ImportOpenApi(const Document& spec, const OpenApiImportOptions& options = {});

}  // namespace flow::core::convert
