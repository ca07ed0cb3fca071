// ParseDocument on YAML text: values, spans, merge keys, duplicates, templates, errors.
#include <gtest/gtest.h>

#include <string>

#include "core/parse/document.hpp"
#include "core/parse/parse_test_support.hpp"

namespace flow::core {
namespace {

using testing::At;
using testing::MustFail;
using testing::MustLoad;

TEST(YamlLoader, ReadsMappingsListsAndTypedScalars) {
  const Document doc = MustLoad(
      "name: login\n"
      "retries: 3\n"
      "ratio: 0.5\n"
      "enabled: true\n"
      "legacy: yes\n"
      "nothing: ~\n"
      "empty:\n"
      "tags: [smoke, 1]\n"
      "steps:\n"
      "  - name: first\n"
      "    status: 200\n");
  EXPECT_EQ(
      doc.root.dump(),
      R"({"name":"login","retries":3,"ratio":0.5,"enabled":true,"legacy":"yes",)"
      R"("nothing":null,"empty":null,"tags":["smoke",1],"steps":[{"name":"first","status":200}]})");
  EXPECT_EQ(doc.file, "suite.yaml");
}

TEST(YamlLoader, QuotedAndBlockScalarsAreAlwaysStrings) {
  const Document doc = MustLoad(
      "a: '42'\n"
      "b: \"true\"\n"
      "c: |\n"
      "  42\n"
      "d: >-\n"
      "  null\n"
      "e: \"\"\n"
      "f: ! 12\n");
  EXPECT_EQ(doc.root.dump(), R"({"a":"42","b":"true","c":"42\n","d":"null","e":"","f":"12"})");
}

TEST(YamlLoader, ExplicitTagsAreHonoured) {
  const Document doc = MustLoad(
      "a: !!str 42\n"
      "b: !!int \"0x10\"\n"
      "c: !!float 2\n"
      "d: !!bool 'true'\n"
      "e: !!null ''\n"
      "f: !!str\n"
      "g: !!map {x: 1}\n"
      "h: !!seq [1]\n");
  EXPECT_EQ(doc.root.dump(),
            R"({"a":"42","b":16,"c":2.0,"d":true,"e":null,"f":"","g":{"x":1},"h":[1]})");
}

TEST(YamlLoader, ATagThatRejectsItsValueIsAnErrorAtTheValue) {
  const Error error = MustFail("a: 1\nb: !!int abc\n");
  EXPECT_EQ(error.message, "'abc' is not a valid value for tag '!!int'");
  EXPECT_EQ(error.reason, "bad-tag");
  EXPECT_EQ(At(error), "suite.yaml@2:4/9");
}

TEST(YamlLoader, UnknownTagsAndTagsOnTheWrongKindAreErrors) {
  EXPECT_EQ(MustFail("a: !thing x\n").message, "unsupported tag '!thing'");
  const Error error = MustFail("a: !!int [1]\n");
  EXPECT_EQ(error.message, "tag '!!int' cannot be used on a list");
  EXPECT_EQ(At(error), "suite.yaml@1:4/1");
}

TEST(YamlLoader, MappingKeysAreTheirTextAsWritten) {
  const Document doc = MustLoad("200: ok\ntrue: yes\n~: none\n1.50: x\n");
  EXPECT_EQ(doc.root.dump(), R"({"200":"ok","true":"yes","null":"none","1.50":"x"})");
}

TEST(YamlLoader, KeepsKeysInTheOrderWritten) {
  const Document doc = MustLoad("z: 1\na: 2\nm: 3\n");
  EXPECT_EQ(doc.root.dump(), R"({"z":1,"a":2,"m":3})");
}

// --- spans ---------------------------------------------------------------------------------

TEST(YamlLoader, SpansOfKeysAndScalarValues) {
  const Document doc = MustLoad(
      "name: login flow\n"
      "request:\n"
      "  method: \"POST\"\n"
      "  url: 'https://x/y'  # comment\n"
      "  timeout: 30\n");
  EXPECT_EQ(At(doc.WhereValue("")), "1:1/1");
  EXPECT_EQ(At(doc.WhereKey("/name")), "1:1/4");
  EXPECT_EQ(At(doc.WhereValue("/name")), "1:7/10");
  EXPECT_EQ(At(doc.WhereKey("/request")), "2:1/7");
  EXPECT_EQ(At(doc.WhereValue("/request")), "3:3/1");
  EXPECT_EQ(At(doc.WhereKey("/request/method")), "3:3/6");
  EXPECT_EQ(At(doc.WhereValue("/request/method")), "3:11/6");
  EXPECT_EQ(At(doc.WhereValue("/request/url")), "4:8/13");
  EXPECT_EQ(At(doc.WhereKey("/request/timeout")), "5:3/7");
  EXPECT_EQ(At(doc.WhereValue("/request/timeout")), "5:12/2");
  EXPECT_EQ(doc.WhereValue("/request/url").file, "suite.yaml");
}

TEST(YamlLoader, SpansInsideBlockListsOfMappings) {
  const Document doc = MustLoad(
      "steps:\n"
      "  - name: one\n"
      "    request: {method: GET, url: /a}\n"
      "  - name: two\n"
      "    assert: [1, \"two\", three]\n");
  EXPECT_EQ(At(doc.WhereValue("/steps")), "2:3/1");
  EXPECT_EQ(At(doc.WhereValue("/steps/0")), "2:5/1");
  EXPECT_EQ(At(doc.WhereKey("/steps/0/name")), "2:5/4");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/name")), "2:11/3");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/request")), "3:14/1");
  EXPECT_EQ(At(doc.WhereKey("/steps/0/request/method")), "3:15/6");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/request/method")), "3:23/3");
  EXPECT_EQ(At(doc.WhereKey("/steps/0/request/url")), "3:28/3");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/request/url")), "3:33/2");
  EXPECT_EQ(At(doc.WhereValue("/steps/1/name")), "4:11/3");
  EXPECT_EQ(At(doc.WhereValue("/steps/1/assert")), "5:13/1");
  EXPECT_EQ(At(doc.WhereValue("/steps/1/assert/0")), "5:14/1");
  EXPECT_EQ(At(doc.WhereValue("/steps/1/assert/1")), "5:17/5");
  EXPECT_EQ(At(doc.WhereValue("/steps/1/assert/2")), "5:24/5");
}

TEST(YamlLoader, SpansOfTaggedAnchoredAndBlockScalarsStartAtTheirProperties) {
  const Document doc = MustLoad("a: !!str 12\nb: &x hello\nc: |\n  text\nd: *x\n");
  EXPECT_EQ(At(doc.WhereValue("/a")), "1:4/8");
  EXPECT_EQ(At(doc.WhereValue("/b")), "2:4/8");
  EXPECT_EQ(At(doc.WhereValue("/c")), "3:4/1");
  EXPECT_EQ(At(doc.WhereValue("/d")), "5:4/2");
}

TEST(YamlLoader, AMultiLinePlainScalarSpansItsFirstLine) {
  const Document doc = MustLoad("text: first line  \n  second line\nnext: 1\n");
  EXPECT_EQ(doc.root["text"], "first line second line");
  EXPECT_EQ(At(doc.WhereValue("/text")), "1:7/10");
}

TEST(YamlLoader, AnEmptyValueIsPlacedAtItsKey) {
  const Document doc = MustLoad("first:\nsecond: 2\nlast:");
  EXPECT_TRUE(doc.root["first"].is_null());
  EXPECT_EQ(At(doc.WhereValue("/first")), "1:1/5");
  EXPECT_EQ(At(doc.WhereValue("/last")), "3:1/4");
}

TEST(YamlLoader, AnEmptyListItemIsPlacedAtItsDash) {
  const Document doc = MustLoad("items:\n  -\n  - x\n  -\nafter: 1\n");
  EXPECT_EQ(doc.root["items"].dump(), R"([null,"x",null])");
  EXPECT_EQ(At(doc.WhereValue("/items/0")), "2:3/1");
  EXPECT_EQ(At(doc.WhereValue("/items/1")), "3:5/1");
  EXPECT_EQ(At(doc.WhereValue("/items/2")), "4:3/1");
}

TEST(YamlLoader, ExplicitNullsKeepTheirOwnPlace) {
  const Document doc = MustLoad("a: null\nb: ~\n");
  EXPECT_EQ(At(doc.WhereValue("/a")), "1:4/4");
  EXPECT_EQ(At(doc.WhereValue("/b")), "2:4/1");
}

TEST(YamlLoader, KeysNeedingEscapesUsePointerEscapes) {
  const Document doc = MustLoad("a/b: 1\n\"m~n\": 2\n");
  EXPECT_EQ(At(doc.WhereKey("/a~1b")), "1:1/3");
  EXPECT_EQ(At(doc.WhereValue("/a~1b")), "1:6/1");
  EXPECT_EQ(At(doc.WhereKey("/m~0n")), "2:1/5");
}

TEST(YamlLoader, ColumnsCountBytesAndCrLfLinesWork) {
  const Document doc = MustLoad("caf\xC3\xA9: x\r\nnext: [1, 2]\r\n");
  EXPECT_EQ(doc.root.dump(), "{\"caf\xC3\xA9\":\"x\",\"next\":[1,2]}");
  EXPECT_EQ(At(doc.WhereValue("/caf\xC3\xA9")), "1:8/1");
  EXPECT_EQ(At(doc.WhereValue("/next/1")), "2:11/1");
}

TEST(YamlLoader, ALeadingByteOrderMarkIsDropped) {
  const Document doc = MustLoad(
      "\xEF\xBB\xBF"
      "a: 1\n");
  EXPECT_EQ(doc.root.dump(), R"({"a":1})");
  EXPECT_EQ(doc.text, "a: 1\n");
  EXPECT_EQ(At(doc.WhereKey("/a")), "1:1/1");
}

TEST(YamlLoader, KeepsTheTextForDiagnostics) {
  const Document doc = MustLoad("a: 1\n", "suites/x.yaml");
  EXPECT_EQ(doc.text, "a: 1\n");
  EXPECT_EQ(doc.file, "suites/x.yaml");
  EXPECT_EQ(doc.WhereValue("/a").file, "suites/x.yaml");
}

// --- anchors, aliases and merge keys ----------------------------------------------------

TEST(YamlLoader, AliasesAreCopiesOfTheAnchoredNode) {
  const Document doc = MustLoad(
      "base: &base\n"
      "  x: 1\n"
      "  list: [a, b]\n"
      "copy: *base\n"
      "again: *base\n");
  EXPECT_EQ(doc.root["copy"], doc.root["base"]);
  EXPECT_EQ(doc.root["again"].dump(), R"({"x":1,"list":["a","b"]})");
  // The alias itself is where it is written; what it copies is where the anchor wrote it.
  EXPECT_EQ(At(doc.WhereValue("/copy")), "4:7/5");
  EXPECT_EQ(At(doc.WhereValue("/copy/x")), "2:6/1");
  EXPECT_EQ(At(doc.WhereKey("/copy/x")), "2:3/1");
  EXPECT_EQ(At(doc.WhereValue("/again/list/1")), "3:13/1");
}

TEST(YamlLoader, MergeKeyWithOneAlias) {
  const Document doc = MustLoad(
      "defaults: &defaults\n"
      "  method: GET\n"
      "  timeout: 30\n"
      "step:\n"
      "  <<: *defaults\n"
      "  url: /x\n");
  EXPECT_EQ(doc.root["step"].dump(), R"({"method":"GET","timeout":30,"url":"/x"})");
  EXPECT_FALSE(doc.root["step"].contains("<<"));
  EXPECT_EQ(At(doc.WhereValue("/step/method")), "2:11/3");
  EXPECT_EQ(At(doc.WhereKey("/step/method")), "2:3/6");
  EXPECT_EQ(At(doc.WhereKey("/step/url")), "6:3/3");
  EXPECT_EQ(doc.key_spans.count("/step/<<"), 0u);
}

TEST(YamlLoader, MergeKeyWithAListEarlierMapsWin) {
  const Document doc = MustLoad(
      "a: &a {x: a, y: a}\n"
      "b: &b {y: b, z: b}\n"
      "m:\n"
      "  <<: [*a, *b]\n");
  EXPECT_EQ(doc.root["m"].dump(), R"({"x":"a","y":"a","z":"b"})");
  EXPECT_EQ(At(doc.WhereValue("/m/y")), "1:17/1");
  EXPECT_EQ(At(doc.WhereValue("/m/z")), "2:17/1");
}

TEST(YamlLoader, TheMappingsOwnKeysWinOverMergedOnesWhereverTheyAreWritten) {
  const Document doc = MustLoad(
      "base: &base {a: 1, b: 2, c: 3}\n"
      "m:\n"
      "  a: own-before\n"
      "  <<: *base\n"
      "  c: own-after\n");
  EXPECT_EQ(doc.root["m"].dump(), R"({"a":"own-before","b":2,"c":"own-after"})");
  EXPECT_EQ(At(doc.WhereValue("/m/a")), "3:6/10");
  EXPECT_EQ(At(doc.WhereValue("/m/b")), "1:23/1");
  EXPECT_EQ(At(doc.WhereValue("/m/c")), "5:6/9");
  EXPECT_EQ(At(doc.WhereKey("/m/c")), "5:3/1");
}

TEST(YamlLoader, MergedNestedValuesKeepTheirSpansAndOverriddenOnesLeaveNone) {
  const Document doc = MustLoad(
      "base: &base\n"
      "  headers: {accept: json}\n"
      "  query: {page: 1}\n"
      "m:\n"
      "  <<: *base\n"
      "  query: 5\n");
  EXPECT_EQ(doc.root["m"].dump(), R"({"headers":{"accept":"json"},"query":5})");
  EXPECT_EQ(At(doc.WhereValue("/m/headers/accept")), "2:21/4");
  EXPECT_EQ(doc.value_spans.count("/m/query/page"), 0u);
}

TEST(YamlLoader, NestedMergesResolveInsideOut) {
  const Document doc = MustLoad(
      "a: &a {x: 1}\n"
      "b: &b\n"
      "  <<: *a\n"
      "  y: 2\n"
      "c:\n"
      "  <<: *b\n"
      "  z: 3\n"
      "  inner:\n"
      "    <<: *a\n"
      "    x: 9\n");
  EXPECT_EQ(doc.root["b"].dump(), R"({"x":1,"y":2})");
  EXPECT_EQ(doc.root["c"].dump(), R"({"x":1,"y":2,"z":3,"inner":{"x":9}})");
  EXPECT_EQ(At(doc.WhereValue("/c/x")), "1:11/1");
  EXPECT_EQ(At(doc.WhereValue("/c/y")), "4:6/1");
}

TEST(YamlLoader, MergeAcceptsAnInlineMappingAndAnAliasOfAList) {
  const Document doc = MustLoad(
      "list: &list [{p: 1}, {q: 2}]\n"
      "m: {<<: {a: 1}, b: 2}\n"
      "n:\n"
      "  <<: *list\n");
  EXPECT_EQ(doc.root["m"].dump(), R"({"a":1,"b":2})");
  EXPECT_EQ(doc.root["n"].dump(), R"({"p":1,"q":2})");
}

TEST(YamlLoader, AnExplicitlyTaggedMergeKeyMerges) {
  const Document doc = MustLoad("a: &a {x: 1}\nm:\n  !!merge <<: *a\n  y: 2\n");
  EXPECT_EQ(doc.root["m"].dump(), R"({"x":1,"y":2})");
}

TEST(YamlLoader, AQuotedMergeKeyIsAnOrdinaryKey) {
  const Document doc = MustLoad("\"<<\": 1\nb: 2\n");
  EXPECT_EQ(doc.root.dump(), R"({"<<":1,"b":2})");
}

TEST(YamlLoader, AMergeOfSomethingElseThanMappingsIsAnErrorAtIt) {
  Error error = MustFail("a: 1\nm:\n  <<: hello\n");
  EXPECT_EQ(error.message, "a '<<' merge key needs a mapping or a list of mappings, not a string");
  EXPECT_EQ(error.reason, "bad-merge");
  EXPECT_EQ(At(error), "suite.yaml@3:7/5");

  error = MustFail("a: &a {x: 1}\nm:\n  <<: [*a, 3]\n");
  EXPECT_EQ(error.message, "the list of a '<<' merge key must hold mappings, not a number");
  EXPECT_EQ(At(error), "suite.yaml@3:12/1");

  error = MustFail("l: &l [1]\nm:\n  <<: *l\n");
  EXPECT_EQ(error.reason, "bad-merge");
  EXPECT_EQ(At(error), "suite.yaml@3:7/2");

  error = MustFail("m:\n  <<:\n");
  EXPECT_EQ(error.message, "a '<<' merge key needs a mapping or a list of mappings, not a null");
  EXPECT_EQ(At(error), "suite.yaml@2:3/2");
}

TEST(YamlLoader, AnAliasInsideItsOwnAnchorIsAnError) {
  const Error error = MustFail("a: &x\n  - 1\n  - *x\n");
  EXPECT_EQ(error.reason, "alias-cycle");
  EXPECT_EQ(At(error), "suite.yaml@3:5/2");
}

TEST(YamlLoader, AnUnknownAliasIsAnErrorNamingIt) {
  const Error error = MustFail("a: 1\nb: *nope\n");
  EXPECT_EQ(error.message, "yaml syntax error: unknown alias '*nope'");
  EXPECT_EQ(error.hint, "define the anchor first with '&nope'");
  EXPECT_EQ(At(error), "suite.yaml@2:4/5");
}

// --- duplicate and non-scalar keys ----------------------------------------------------

TEST(YamlLoader, DuplicateKeysNameBothPlaces) {
  const Error error = MustFail("name: a\nsteps: []\nname: b\n", "s.yaml");
  EXPECT_EQ(error.message, "duplicate key 'name'");
  EXPECT_EQ(error.hint, "first defined at s.yaml:1:1");
  EXPECT_EQ(error.reason, "duplicate-key");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(At(error), "s.yaml@3:1/4");
}

TEST(YamlLoader, DuplicateKeysInFlowMappingsAndNestedMappings) {
  Error error = MustFail("h: {a: 1, b: 2, a: 3}\n");
  EXPECT_EQ(error.message, "duplicate key 'a'");
  EXPECT_EQ(error.hint, "first defined at suite.yaml:1:5");
  EXPECT_EQ(At(error), "suite.yaml@1:17/1");

  error = MustFail("steps:\n  - name: x\n    request:\n      url: a\n      url: b\n");
  EXPECT_EQ(error.hint, "first defined at suite.yaml:4:7");
  EXPECT_EQ(At(error), "suite.yaml@5:7/3");
}

TEST(YamlLoader, DuplicatesAreComparedAsKeyText) {
  EXPECT_EQ(MustFail("'a': 1\n\"a\": 2\n").message, "duplicate key 'a'");
  EXPECT_EQ(MustFail("~: 1\nnull: 2\n").message, "duplicate key 'null'");
  // The same name in different mappings is fine.
  EXPECT_EQ(MustLoad("a: {x: 1}\nb: {x: 2}\n").root.dump(), R"({"a":{"x":1},"b":{"x":2}})");
}

TEST(YamlLoader, AKeyOverridingAMergedOneIsNotADuplicate) {
  const Document doc = MustLoad("b: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n");
  EXPECT_EQ(doc.root["m"].dump(), R"({"x":2})");
  const Error error = MustFail("b: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n  x: 3\n");
  EXPECT_EQ(error.message, "duplicate key 'x'");
  EXPECT_EQ(error.hint, "first defined at suite.yaml:4:3");
}

TEST(YamlLoader, NonScalarKeysAreErrors) {
  Error error = MustFail("? [a, b]\n: 1\n");
  EXPECT_EQ(error.message, "a mapping key must be a plain value, not a list");
  EXPECT_EQ(error.reason, "non-scalar-key");
  EXPECT_EQ(At(error), "suite.yaml@1:3/1");

  error = MustFail("? {a: 1}\n: 1\n");
  EXPECT_EQ(error.message, "a mapping key must be a plain value, not a mapping");

  error = MustFail("m: &m {a: 1}\n*m : 2\n");
  EXPECT_EQ(error.reason, "non-scalar-key");
  EXPECT_EQ(At(error), "suite.yaml@2:1/2");
}

TEST(YamlLoader, AnAliasOfAScalarCanBeAKey) {
  const Document doc = MustLoad("k: &k name\n*k : 2\n");
  EXPECT_EQ(doc.root.dump(), R"({"k":"name","name":2})");
  EXPECT_EQ(At(doc.WhereKey("/name")), "2:1/2");
}

// --- unquoted templates ---------------------------------------------------------------

TEST(YamlLoader, AnUnquotedTemplateValueIsAnErrorWithAQuotedHint) {
  const Error error = MustFail("headers:\n  token: {{token}}\n");
  EXPECT_EQ(error.message, "unquoted template '{{token}}' was read by YAML as a mapping");
  EXPECT_EQ(error.hint, "quote it: \"{{token}}\"");
  EXPECT_EQ(error.reason, "unquoted-template");
  EXPECT_EQ(At(error), "suite.yaml@2:10/9");
}

TEST(YamlLoader, AnUnquotedTemplateFollowedByTextIsReportedWhole) {
  const Error error = MustFail("request:\n  url: {{base}}/users  # list\n");
  EXPECT_EQ(error.message, "unquoted template '{{base}}/users' was read by YAML as a mapping");
  EXPECT_EQ(error.hint, "quote it: \"{{base}}/users\"");
  EXPECT_EQ(At(error), "suite.yaml@2:8/14");
}

TEST(YamlLoader, UnquotedTemplatesInListsFlowCollectionsAndKeys) {
  Error error = MustFail("items:\n  - {{ item.id }}\n");
  EXPECT_EQ(error.message, "unquoted template '{{ item.id }}' was read by YAML as a mapping");
  EXPECT_EQ(At(error), "suite.yaml@2:5/13");

  error = MustFail("ids: [1, {{id}}, 3]\n");
  EXPECT_EQ(error.message, "unquoted template '{{id}}' was read by YAML as a mapping");
  EXPECT_EQ(At(error), "suite.yaml@1:10/6");

  error = MustFail("{{name}}: value\n");
  EXPECT_EQ(error.message, "unquoted template '{{name}}' was read by YAML as a mapping");
  EXPECT_EQ(At(error), "suite.yaml@1:1/8");
}

TEST(YamlLoader, AnUnquotedTemplateInsideAFlowValueAsksToQuoteTheWholeValue) {
  const Error error = MustFail("headers: {Authorization: Bearer {{token}}}\n");
  EXPECT_EQ(error.message, "unquoted template '{{token}}' was read by YAML as a mapping");
  EXPECT_EQ(error.hint, "quote the whole value: \"Bearer {{token}}\"");
  EXPECT_EQ(At(error), "suite.yaml@1:33/9");
}

TEST(YamlLoader, TemplatesInsidePlainOrQuotedTextAreFine) {
  const Document doc = MustLoad(
      "a: Bearer {{token}}\n"
      "b: \"{{base}}/x\"\n"
      "c: '{{ x }}'\n"
      "d: https://{{host}}/path\n");
  EXPECT_EQ(
      doc.root.dump(),
      R"({"a":"Bearer {{token}}","b":"{{base}}/x","c":"{{ x }}","d":"https://{{host}}/path"})");
}

// --- documents ------------------------------------------------------------------------

TEST(YamlLoader, AnEmptyFileHasANullRoot) {
  for (const char* text : {"", "\n\n", "# only a comment\n", "   "}) {
    const Document doc = MustLoad(text);
    EXPECT_TRUE(doc.root.is_null()) << text;
    EXPECT_TRUE(doc.value_spans.empty()) << text;
    EXPECT_EQ(At(doc.WhereValue("")), "0:0/0");
    EXPECT_EQ(doc.WhereValue("/steps").file, "suite.yaml");
  }
  EXPECT_TRUE(MustLoad("---\n").root.is_null());
}

TEST(YamlLoader, DocumentMarkersAroundOneDocumentAreFine) {
  EXPECT_EQ(MustLoad("---\na: 1\n...\n").root.dump(), R"({"a":1})");
  EXPECT_EQ(MustLoad("%YAML 1.2\n---\na: 1\n").root.dump(), R"({"a":1})");
}

TEST(YamlLoader, ASecondDocumentIsAnErrorAtItsStart) {
  Error error = MustFail("a: 1\n---\nb: 2\n");
  EXPECT_EQ(error.message, "a suite file holds one YAML document, but a second one starts here");
  EXPECT_EQ(error.reason, "multiple-documents");
  EXPECT_EQ(At(error), "suite.yaml@2:1/3");

  error = MustFail("a: 1\n...\n# next\nb: 2\n");
  EXPECT_EQ(error.reason, "multiple-documents");
  EXPECT_EQ(At(error), "suite.yaml@4:1/3");

  error = MustFail("a: 1\n---\n");
  EXPECT_EQ(error.reason, "multiple-documents");
}

TEST(YamlLoader, ContentAfterTheTopLevelValueIsASyntaxErrorNotASecondDocument) {
  const Error error = MustFail("- a\n- b\nkey: 1\n");
  EXPECT_EQ(error.message, "yaml syntax error: this line is not part of the value above it");
  EXPECT_EQ(error.reason, "syntax");
  EXPECT_EQ(At(error), "suite.yaml@3:1/4");
}

// --- syntax errors --------------------------------------------------------------------

TEST(YamlLoader, SyntaxErrorsAreReadableAndOneBased) {
  Error error = MustFail("name: x\nurl: a: b\n");
  EXPECT_EQ(error.message, "yaml syntax error: unexpected ':'");
  EXPECT_FALSE(error.hint.empty());
  EXPECT_EQ(error.reason, "syntax");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(At(error), "suite.yaml@2:7/1");

  error = MustFail("a:\n  b: 1\n c: 2\n");
  EXPECT_EQ(error.message, "yaml syntax error: this line does not continue the mapping above it");
  EXPECT_EQ(At(error), "suite.yaml@3:2/2");

  error = MustFail("a:\n\t- 1\n");
  EXPECT_EQ(error.message, "yaml syntax error: unexpected '-' (a list item) here");
  EXPECT_EQ(At(error), "suite.yaml@2:2/1");

  error = MustFail("a: \"bad \\q escape\"\n");
  EXPECT_EQ(error.message, "yaml syntax error: unknown escape '\\q' in a double-quoted string");

  error = MustFail("a: @handle\n");
  EXPECT_EQ(error.message, "yaml syntax error: unexpected '@'");
  EXPECT_EQ(At(error), "suite.yaml@1:4/1");
}

TEST(YamlLoader, BadAnchorAndAliasNamesAreSyntaxErrors) {
  EXPECT_EQ(MustFail("a: * x\n").message,
            "yaml syntax error: '*' must be followed by an alias name");
  EXPECT_EQ(MustFail("a: & x\n").message,
            "yaml syntax error: '&' must be followed by an anchor name");
}

TEST(YamlLoader, AnUnclosedFlowCollectionPointsAtItsOpeningBracket) {
  Error error = MustFail("a: 1\nlist: [1, 2\n\n");
  EXPECT_EQ(error.message, "yaml syntax error: the '[' opened here is never closed");
  EXPECT_EQ(At(error), "suite.yaml@2:7/1");

  error = MustFail("m: {x: 1\n");
  EXPECT_EQ(error.message, "yaml syntax error: the '{' opened here is never closed");
  EXPECT_EQ(At(error), "suite.yaml@1:4/1");

  // yaml-cpp reads unclosed brackets at the end as keys; still a syntax error, not a key error.
  error = MustFail("[[[");
  EXPECT_EQ(error.message, "yaml syntax error: the '[' opened here is never closed");
  EXPECT_EQ(error.reason, "syntax");
}

TEST(YamlLoader, AnUnterminatedQuotedStringPointsAtItsQuote) {
  for (const char* text : {"a: 1\nb: \"open\n", "a: 1\nb: 'open\n", "a: 1\nb: \"open"}) {
    const Error error = MustFail(text);
    EXPECT_EQ(error.message, "yaml syntax error: unterminated quoted string") << text;
    EXPECT_EQ(At(error), "suite.yaml@2:4/1") << text;
  }
}

TEST(YamlLoader, ForbiddenCharactersAndBadUtf8AreEncodingErrors) {
  Error error = MustFail("a: 1\nb: x\x01y\n");
  EXPECT_EQ(error.message,
            "the file contains the non-printable character U+0001, which YAML does not allow");
  EXPECT_EQ(error.reason, "encoding");
  EXPECT_EQ(At(error), "suite.yaml@2:5/1");

  error = MustFail("a: \xC3\x28\n");
  EXPECT_EQ(error.message, "the file is not valid UTF-8 text");
  EXPECT_EQ(At(error), "suite.yaml@1:4/1");

  EXPECT_EQ(MustFail(std::string("a: \0", 4)).reason, "encoding");
  EXPECT_EQ(MustLoad("a: \"tab\there\"\n").root["a"], "tab\there");
}

// --- limits ---------------------------------------------------------------------------

std::string NestedFlowLists(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST(YamlLoader, TwoHundredNestedLevelsLoad) {
  const Document doc = MustLoad(NestedFlowLists(kMaxDocumentDepth));
  const Value* node = &doc.root;
  int depth = 0;
  while (node->is_array() && !node->empty()) {
    node = &(*node)[0];
    ++depth;
  }
  EXPECT_EQ(depth, kMaxDocumentDepth - 1);
}

TEST(YamlLoader, DeeperNestingIsAnErrorNotACrash) {
  Error error = MustFail(NestedFlowLists(kMaxDocumentDepth + 1));
  EXPECT_EQ(error.message, "nesting deeper than 200 levels");
  EXPECT_EQ(error.reason, "too-deep");
  EXPECT_EQ(At(error), "suite.yaml@1:201/1");

  EXPECT_EQ(MustFail(std::string(10000, '[')).reason, "too-deep");
  EXPECT_EQ(MustFail(std::string(10000, '{')).reason, "too-deep");
  std::string dashes;
  for (int i = 0; i < 10000; ++i) dashes += "- ";
  EXPECT_EQ(MustFail(dashes + "x\n").reason, "too-deep");
  std::string indented;
  for (int i = 0; i < 1000; ++i) indented += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  EXPECT_EQ(MustFail(indented).reason, "too-deep");
}

TEST(YamlLoader, NestingThroughAliasesIsLimitedToo) {
  std::string text = "a: &a " + NestedFlowLists(190) + "\nb: " + std::string(20, '[') + "*a" +
                     std::string(20, ']') + "\n";
  const Error error = MustFail(text);
  EXPECT_EQ(error.reason, "too-deep");
}

TEST(YamlLoader, ExponentialAliasExpansionIsStopped) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  const Error error = MustFail(text);
  EXPECT_EQ(error.reason, "too-large");
}

}  // namespace
}  // namespace flow::core
