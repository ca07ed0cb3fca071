#include "core/convert/openapi_import.hpp"

#include <gtest/gtest.h>

#include <random>
#include <chrono>

#include "core/model/suite.hpp"
#include "core/parse/document.hpp"

namespace flow::core::convert {
namespace {

Result<ImportResult> Import(const std::string& text, const std::string& file = "spec.yaml",
                            const OpenApiImportOptions& options = {}) {
  Result<Document> doc = ParseDocument(text, file);
  if (!doc) return std::move(doc).error();
  return ImportOpenApi(*doc, options);
}

// Each suite written must load as a valid suite; returns them as values by node_id.
std::map<std::string, Value> LoadSuites(const ImportResult& result) {
  std::map<std::string, Value> suites;
  for (const ConvertedFile& file : result.files) {
    if (file.suite_name.empty()) continue;
    SuiteLoad load = LoadSuite(file.text, file.path);
    for (const Error& e : load.errors) {
      ADD_FAILURE() << file.path << ": " << FormatErrorLine(e) << "\n" << file.text;
    }
    if (load.suite) {
      EXPECT_EQ(load.suite->node_id, file.node_id);
      EXPECT_EQ(load.suite->steps.size(), file.steps);
      suites[file.node_id] = load.suite->document.root;
    }
  }
  return suites;
}

const char* kPetstore = R"(openapi: 3.0.3
info: {title: Petstore, version: 1.0.0}
servers:
  - url: https://{env}.petstore.example.com/v1/
    variables:
      env: {default: api}
tags:
  - {name: pets, description: Everything about pets}
  - {name: store}
security:
  - bearerAuth: []
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      summary: List all pets
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}, example: 20}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}, example: [a, b]}
        - {name: X-Trace, in: header, required: true, schema: {type: string, format: uuid}}
      responses:
        '200':
          description: pets
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      tags: [pets]
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}, example: 7}
    delete:
      tags: [pets]
      operationId: deletePet
      responses: {'204': {description: gone}}
    get:
      tags: [pets]
      operationId: showPetById
      summary: Info for a specific pet
      responses:
        default:
          description: a pet
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
  /store/inventory:
    get:
      tags: [store]
      security: []
      responses: {'200': {description: ok}}
  /health:
    get:
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      required: [id, name, owner, nick]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        name: {type: string}
        nick: {type: [string, 'null']}
        owner: {$ref: '#/components/schemas/Owner'}
        tag: {type: string}
    NewPet:
      allOf:
        - {$ref: '#/components/schemas/Pet'}
        - type: object
          properties:
            email: {type: string, format: email}
            born: {type: string, format: date}
            kind: {type: string, enum: [cat, dog]}
            weight: {type: number, minimum: 0.5}
    Owner:
      type: object
      properties:
        firstName: {type: string}
        friend: {$ref: '#/components/schemas/Owner'}
)";

TEST(OpenApiImport, OneSuitePerTagWithRequestsAssertionsAndCaptures) {
  Result<ImportResult> result = Import(kPetstore);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  EXPECT_EQ(result->source, "OpenAPI 3.0.3");
  ASSERT_EQ(result->files.size(), 3u);
  EXPECT_EQ(result->files[0].path, "pets.yaml");
  EXPECT_EQ(result->files[1].path, "store.yaml");
  EXPECT_EQ(result->files[2].path, "default.yaml");
  std::map<std::string, Value> suites = LoadSuites(*result);
  const Value& pets = suites["pets"];
  EXPECT_EQ(pets["suite_name"], "pets");
  EXPECT_EQ(pets["description"], "Everything about pets");
  EXPECT_EQ(pets["base_url"], "https://api.petstore.example.com/v1");
  EXPECT_EQ(pets["variables"], Value::parse(R"({"petId": 7, "auth_token": "{{$env.API_TOKEN}}"})"));
  const Value& steps = pets["steps"];
  ASSERT_EQ(steps.size(), 4u);
  // Spec order, DELETE last.
  EXPECT_EQ(steps[0]["step_id"], "listpets");
  EXPECT_EQ(steps[1]["step_id"], "createpet");
  EXPECT_EQ(steps[2]["step_id"], "showpetbyid");
  EXPECT_EQ(steps[3]["step_id"], "deletepet");

  const Value& list = steps[0];
  EXPECT_EQ(list["name"], "List all pets");
  EXPECT_EQ(list["request"]["url"], "/pets?tags=a&tags=b");
  EXPECT_EQ(list["request"]["params"], Value::parse(R"({"limit": 20})"));  // offset: optional
  EXPECT_EQ(list["request"]["headers"]["X-Trace"], "{{$faker.string.uuid}}");
  EXPECT_EQ(list["request"]["headers"]["Authorization"], "Bearer {{auth_token}}");
  EXPECT_EQ(list["assert"], Value::parse(R"({"status_code": 200, "body": {"type": "array"}})"));

  const Value& create = steps[1];
  EXPECT_EQ(create["request"]["method"], "POST");
  const Value& body = create["request"]["body"];
  EXPECT_FALSE(body.contains("id")) << "readOnly properties are not sent";
  EXPECT_EQ(body["name"], "{{$faker.lorem.word}}") << "'name' alone says nothing about what it names";
  EXPECT_EQ(body["email"], "{{$faker.internet.email}}");
  EXPECT_EQ(body["born"], "{{js: faker.date.recent().toISOString().slice(0, 10)}}");
  EXPECT_EQ(body["kind"], "cat");
  EXPECT_EQ(body["weight"], 0.5);
  EXPECT_EQ(body["owner"]["firstName"], "{{$faker.person.firstName}}");
  EXPECT_FALSE(body["owner"].contains("friend")) << "the recursion stops";
  EXPECT_EQ(create["assert"]["status_code"], 201);
  EXPECT_EQ(create["assert"]["body"],
            Value::parse(R"({"id": {"type": "number"}, "name": {"type": "string"},
                             "owner": {"type": "object"}})"))
      << "nick may be null: not checked";
  EXPECT_EQ(create["capture"], Value::parse(R"({"petId": "body.id"})"))
      << "the created id feeds the item path";

  EXPECT_EQ(steps[2]["request"]["url"], "/pets/{{petId}}");
  EXPECT_EQ(steps[2]["assert"]["status_code"],
            Value::parse(R"({"greater_than_or_equal": 200, "less_than": 300})"));
  EXPECT_EQ(steps[3]["request"]["method"], "DELETE");
  EXPECT_EQ(steps[3]["assert"]["status_code"], 204);

  const Value& store = suites["store"]["steps"][0];
  EXPECT_FALSE(store["request"].contains("headers")) << "security: [] means no credentials";
  EXPECT_FALSE(suites["store"].contains("variables"));
  EXPECT_EQ(suites["default"]["steps"][0]["request"]["url"], "/health");

  EXPECT_NE(result->files[0].text.find("# Credentials are read from the environment: API_TOKEN."),
            std::string::npos)
      << result->files[0].text;
  EXPECT_TRUE(result->warnings.empty()) << FormatErrorLine(result->warnings.front());
}

TEST(OpenApiImport, TagFilterAndBaseUrlOverride) {
  OpenApiImportOptions options{.base_url = "{{api_url}}", .tags = {"STORE"}};
  Result<ImportResult> result = Import(kPetstore, "spec.yaml", options);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  ASSERT_EQ(result->files.size(), 1u);
  EXPECT_EQ(result->files[0].node_id, "store");
  EXPECT_EQ(LoadSuites(*result)["store"]["base_url"], "{{api_url}}");

  options.tags = {"petz"};
  result = Import(kPetstore, "spec.yaml", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "no operation has the tag 'petz'");
  EXPECT_NE(result.error().hint.find("did you mean 'pets'?"), std::string::npos)
      << result.error().hint;
  EXPECT_NE(result.error().hint.find("the spec's tags: pets, store"), std::string::npos);
}

TEST(OpenApiImport, Swagger2JsonWithFormsFilesAndApiKeys) {
  const char* spec = R"({
    "swagger": "2.0",
    "info": {"title": "Uploads", "version": "2"},
    "host": "files.example.com", "basePath": "/api", "schemes": ["http", "https"],
    "consumes": ["application/json"],
    "securityDefinitions": {
      "key": {"type": "apiKey", "name": "X-API-Key", "in": "header"},
      "query_key": {"type": "apiKey", "name": "api_key", "in": "query"}
    },
    "security": [{"key": [], "query_key": []}],
    "paths": {
      "/files/{file-id}": {
        "post": {
          "consumes": ["multipart/form-data"],
          "parameters": [
            {"name": "file-id", "in": "path", "required": true, "type": "string", "x-example": "f1"},
            {"name": "upload", "in": "formData", "type": "file", "required": true},
            {"name": "note", "in": "formData", "type": "string", "required": true},
            {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"},
             "collectionFormat": "csv", "required": true}
          ],
          "responses": {"201": {"description": "ok", "schema": {"type": "object",
                        "required": ["id"], "properties": {"id": {"type": "string"}}}}}
        }
      },
      "/things": {
        "put": {
          "parameters": [{"name": "thing", "in": "body", "required": true,
                          "schema": {"$ref": "#/definitions/Thing"}}],
          "responses": {"200": {"description": "ok"}}
        }
      }
    },
    "definitions": {"Thing": {"type": "object", "properties": {"url": {"type": "string", "format": "uri"},
                                                                "count": {"type": "integer"}}}}
  })";
  Result<ImportResult> result = Import(spec, "spec.json");
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  EXPECT_EQ(result->source, "Swagger 2.0");
  ASSERT_EQ(result->files.size(), 2u);
  EXPECT_EQ(result->files[1].path, "fixtures/sample-upload.txt");
  EXPECT_TRUE(result->files[1].suite_name.empty());
  std::map<std::string, Value> suites = LoadSuites(*result);
  const Value& suite = suites["default"];
  EXPECT_EQ(suite["base_url"], "http://files.example.com/api");
  EXPECT_EQ(suite["variables"], Value::parse(R"({"file_id": "f1", "api_key": "{{$env.API_KEY}}",
                             "api_key_query_key": "{{$env.API_KEY_QUERY_KEY}}"})"));
  const Value& upload = suite["steps"][0]["request"];
  EXPECT_EQ(upload["url"], "/files/{{file_id}}?ids=1");
  EXPECT_EQ(upload["headers"]["Content-Type"], "multipart/form-data");
  EXPECT_EQ(upload["headers"]["X-API-Key"], "{{api_key}}");
  EXPECT_EQ(upload["params"]["api_key"], "{{api_key_query_key}}");
  EXPECT_EQ(upload["body"]["upload"], Value::parse(R"({"file": "fixtures/sample-upload.txt"})"));
  EXPECT_EQ(upload["body"]["note"], "{{$faker.lorem.word}}");
  EXPECT_EQ(suite["steps"][0]["capture"], Value::parse(R"({"files_id": "body.id"})"));
  const Value& put = suite["steps"][1]["request"];
  EXPECT_EQ(put["body"], Value::parse(R"({"url": "{{$faker.internet.url}}", "count": 1})"));
  EXPECT_FALSE(put.contains("headers") && put["headers"].contains("Content-Type"));
}

TEST(OpenApiImport, FormsMultipartTextAndBinaryBodies) {
  const char* spec = R"(openapi: 3.1.0
info: {title: Bodies, version: '1'}
paths:
  /form:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {user: {type: string}, age: {type: integer}}}
      responses: {'200': {description: ok}}
  /multipart:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                avatar: {type: string, format: binary}
                meta: {type: object, properties: {a: {type: integer}}}
                scans: {type: array, items: {type: string, format: binary}}
            encoding:
              avatar: {contentType: image/png}
      responses: {'200': {description: ok}}
  /text:
    post:
      requestBody:
        content:
          text/plain:
            examples:
              first: {value: hello there}
      responses: {'302': {description: moved}}
  /blob:
    put:
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses: {'200': {description: ok}}
)";
  Result<ImportResult> result = Import(spec);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  std::map<std::string, Value> suites = LoadSuites(*result);
  const Value& steps = suites["default"]["steps"];
  EXPECT_EQ(steps[0]["request"]["headers"]["Content-Type"], "application/x-www-form-urlencoded");
  EXPECT_EQ(steps[0]["request"]["body"],
            Value::parse(R"({"user": "{{$faker.lorem.word}}", "age": 1})"));
  EXPECT_EQ(steps[1]["request"]["body"],
            Value::parse(
                R"({"avatar": {"file": "fixtures/sample-upload.txt", "content_type": "image/png"},
                             "meta": {"value": {"a": 1}, "content_type": "application/json"},
                             "scans": [{"file": "fixtures/sample-upload.txt"}]})"));
  EXPECT_EQ(steps[2]["request"]["headers"]["Content-Type"], "text/plain");
  EXPECT_EQ(steps[2]["request"]["body"], "hello there");
  EXPECT_EQ(steps[2]["request"]["follow_redirects"], false);
  EXPECT_EQ(steps[2]["assert"]["status_code"], 302);
  EXPECT_EQ(steps[3]["request"]["body_file"], "fixtures/sample-upload.txt");
  EXPECT_EQ(steps[3]["request"]["headers"]["Content-Type"], "application/octet-stream");
  ASSERT_EQ(result->warnings.size(), 2u);  // relative server, sample body file
  EXPECT_NE(result->warnings[0].message.find("the spec names no server"), std::string::npos);
  EXPECT_NE(result->warnings[1].message.find("sent from the sample file"), std::string::npos);
  EXPECT_EQ(result->warnings[1].where->line, 37);
}

TEST(OpenApiImport, MalformedSpecsAreErrorsWithTheirPlace) {
  struct Case {
    const char* text;
    const char* message;
    int line;
    int column;
  };
  const Case cases[] = {
      {"- a\n- b\n", "not an OpenAPI document: the top level must be a mapping", 1, 1},
      {"info: {title: x}\npaths: {}\n",
       "not an OpenAPI document: there is no 'openapi' or 'swagger' key", 1, 1},
      {"openapi: 2.5\npaths: {}\n", "unsupported OpenAPI version '2.5'", 1, 10},
      {"openapi: 3.0.0\n", "the spec has no 'paths': there is nothing to import", 1, 1},
      {"openapi: 3.0.0\npaths: [a]\n", "'paths' must be a mapping, got array", 2, 8},
      {"openapi: 3.0.0\npaths:\n  /a:\n    get: 5\n",
       "operation 'get /a' must be a mapping, got number", 4, 10},
      {"openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters: {a: 1}\n",
       "'parameters' must be a list, got object", 5, 19},
      {"openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n        - {in: query}\n",
       "a parameter needs 'name' and 'in' strings", 6, 11},
      {"openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: "
       "'#/components/responses/Nope'\n",
       "'$ref' '#/components/responses/Nope' names nothing in this document", 7, 17},
      {"openapi: 3.0.0\npaths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\n",
       "'$ref' '#/paths/~1b' is part of a loop of references", 4, 11},
      {"openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses: 7\n",
       "'responses' must be a mapping, got number", 5, 18},
      {"openapi: 3.0.0\npaths:\n  /a:\n    get: {responses: {'200': {$ref: 5}}}\n",
       "'$ref' must be a string, got number", 4, 37},
      {"openapi: 3.0.0\nservers: x\npaths: {}\n", "'servers' must be a list, got string", 2, 10},
  };
  for (const Case& c : cases) {
    Result<ImportResult> result = Import(c.text);
    ASSERT_FALSE(result) << c.text;
    EXPECT_EQ(result.error().message, c.message) << c.text;
    ASSERT_TRUE(result.error().where) << c.text;
    EXPECT_EQ(result.error().where->file, "spec.yaml");
    EXPECT_EQ(result.error().where->line, c.line) << c.text;
    EXPECT_EQ(result.error().where->column, c.column) << c.text;
  }
  // Syntax errors come from the loader, with their place too.
  Result<ImportResult> broken = Import("openapi: 3.0.0\npaths: {a: [}\n");
  ASSERT_FALSE(broken);
  ASSERT_TRUE(broken.error().where);
  EXPECT_EQ(broken.error().where->line, 2);
  Result<ImportResult> json = Import("{\"openapi\": \"3.0.0\",\n \"paths\": {,}}", "spec.json");
  ASSERT_FALSE(json);
  ASSERT_TRUE(json.error().where);
  EXPECT_EQ(json.error().where->line, 2);
}

TEST(OpenApiImport, ExternalRefsAndOddPartsAreWarnings) {
  const char* spec = R"(openapi: 3.0.0
servers: [{url: /api}]
paths:
  /a/{id}:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: 'common.yaml#/Thing'}
      responses:
        '200': {$ref: 'https://example.com/responses.yaml#/Ok'}
  /b:
    get:
      parameters:
        - {name: code, in: query, required: true, schema: {type: string, pattern: '^[A-Z]{3}$'}}
      security: [{nope: []}]
      responses: {'404': {description: missing}}
  notapath: {}
)";
  Result<ImportResult> result = Import(spec);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  std::map<std::string, Value> suites = LoadSuites(*result);
  const Value& steps = suites["default"]["steps"];
  EXPECT_EQ(steps[0]["request"]["url"], "/api/a/{{id}}");
  EXPECT_EQ(suites["default"]["variables"]["id"], 1);
  EXPECT_EQ(steps[1]["request"]["params"]["code"], "example");
  std::vector<std::string> messages;
  for (const Error& w : result->warnings) {
    ASSERT_TRUE(w.where) << w.message;
    messages.push_back(std::to_string(w.where->line) + ": " + w.message);
  }
  const std::vector<std::string> expected = {
      "2: the server URL '/api' is relative: the suites have no base_url",
      "9: external $ref 'common.yaml#/Thing' is not followed",
      "11: external $ref 'https://example.com/responses.yaml#/Ok' is not followed",
      "5: path parameter 'id' of POST /a/{id} is not defined: its variable is set to 1",
      "15: no example for a string that must match '^[A-Z]{3}$': the value written ('example') may "
      "not match it",
      "17: no 2xx or default response is documented: the step checks for a 2xx status",
      "16: security scheme 'nope' is not defined or not converted",
      "18: path 'notapath' does not start with '/': it is skipped",
  };
  EXPECT_EQ(messages, expected);
}

TEST(OpenApiImport, TraceOperationsAreLeftOut) {
  Result<ImportResult> result = Import(
      "openapi: 3.0.0\nservers: [{url: 'http://h'}]\npaths:\n  /x:\n    trace: {responses: {'200': {description: ok}}}\n"
      "    get: {responses: {'200': {description: ok}}}\n");
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  EXPECT_EQ(result->files[0].steps, 1u);
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_EQ(result->warnings[0].message,
            "TRACE /x is left out: flowtest sends GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS");
  EXPECT_EQ(result->warnings[0].where->line, 5);
}

// A large, densely connected spec imports in bounded time and size, saying where it cut short.
TEST(OpenApiImport, HugeSchemasAreCutShortNotExpandedForever) {
  std::string spec = "openapi: 3.0.0\npaths:\n  /x:\n    post:\n      requestBody:\n        content:\n"
                     "          application/json:\n            schema: {$ref: '#/components/schemas/L0'}\n"
                     "      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n";
  for (int level = 0; level < 12; ++level) {
    spec += "    L" + std::to_string(level) + ":\n      type: object\n      properties:\n";
    for (int p = 0; p < 10; ++p) {
      spec += "        p" + std::to_string(p) + ": " +
              (level < 11 ? "{$ref: '#/components/schemas/L" + std::to_string(level + 1) + "'}" : "{type: string}") +
              "\n";
    }
  }
  const auto start = std::chrono::steady_clock::now();
  Result<ImportResult> result = Import(spec);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_LT(result->files[0].text.size(), 400'000u);
  LoadSuites(*result);
  ASSERT_FALSE(result->warnings.empty());
  EXPECT_NE(result->warnings.back().message.find("was cut short"), std::string::npos);

  std::string chain = "openapi: 3.0.0\npaths:\n  /x:\n    post:\n      requestBody:\n        content:\n"
                      "          application/json:\n            schema: {$ref: '#/components/schemas/A0'}\n"
                      "      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n";
  for (int i = 0; i < 100; ++i) {
    chain += "    A" + std::to_string(i) + ": {allOf: [{$ref: '#/components/schemas/A" + std::to_string(i + 1) + "'}]}\n";
  }
  chain += "    A100: {type: object}\n";
  result = Import(chain);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("'allOf' is nested more than 32 levels deep"), std::string::npos);
  EXPECT_TRUE(result.error().where);
}

// Random damage to a valid spec never crashes the importer: it gives suites that load, or an
// error with a place.
TEST(OpenApiImport, DamagedSpecsNeverCrash) {
  const std::string base = kPetstore;
  std::mt19937 random(7);
  const std::vector<std::string> junk = {"{",        "}",
                                         "[",        "]",
                                         ":",        "$ref: '#/x'",
                                         "- ",       "\n",
                                         "  ",       "null",
                                         "7",        "'",
                                         "\"",       "#/components",
                                         "allOf: [", "$ref: '#/components/schemas/Owner'"};
  for (int i = 0; i < 300; ++i) {
    std::string text = base;
    for (int k = 0; k < 3; ++k) {
      const std::size_t at = random() % text.size();
      if (random() % 2) {
        text.insert(at, junk[random() % junk.size()]);
      } else {
        text.erase(at, random() % 8);
      }
    }
    Result<ImportResult> result = Import(text);
    if (!result) {
      EXPECT_TRUE(result.error().where) << result.error().message << "\n" << text;
      continue;
    }
    LoadSuites(*result);
    if (HasFailure()) {
      ADD_FAILURE() << "spec:\n" << text;
      break;
    }
  }
}

}  // namespace
}  // namespace flow::core::convert
