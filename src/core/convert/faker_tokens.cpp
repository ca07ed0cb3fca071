#include "core/convert/faker_tokens.hpp"

#include <array>
#include <cctype>
#include <string>

#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {

constexpr std::string_view kAny = "";
constexpr std::string_view kWord = "^\\S+$";
constexpr std::string_view kText = "\\S";
constexpr std::string_view kIso = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$";

// Order matters only where two entries share a Postman name: the first one is used on import.
constexpr std::array kTokens{
    // Identifiers and time.
    FakerToken{"uuid", "{{$faker.string.uuid}}", "string",
               "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
               "$randomUUID"},
    FakerToken{"builtin_uuid", "{{$uuid}}", "string",
               "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", "$guid"},
    FakerToken{"now", "{{$now}}", "string", kIso, "$isoTimestamp"},
    FakerToken{"unix_seconds", "{{js: Math.floor(Date.now() / 1000)}}", "number", "^\\d{10}$",
               "$timestamp"},
    FakerToken{"date-time", "{{$faker.date.recent}}", "string", kIso, "$randomDateRecent"},
    FakerToken{"date_past", "{{$faker.date.past}}", "string", kIso, "$randomDatePast"},
    FakerToken{"date_future", "{{$faker.date.future}}", "string", kIso, "$randomDateFuture"},
    FakerToken{"date", "{{js: faker.date.recent().toISOString().slice(0, 10)}}", "string",
               "^\\d{4}-\\d{2}-\\d{2}$", ""},
    FakerToken{"time", "{{js: faker.date.recent().toISOString().slice(11, 19)}}", "string",
               "^\\d{2}:\\d{2}:\\d{2}$", ""},
    FakerToken{"weekday", "{{$faker.date.weekday}}", "string", kWord, "$randomWeekday"},
    FakerToken{"month", "{{$faker.date.month}}", "string", kWord, "$randomMonth"},
    // Internet.
    FakerToken{"email", "{{$faker.internet.email}}", "string", "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
               "$randomEmail"},
    FakerToken{"example_email", "{{$faker.internet.exampleEmail}}", "string",
               "^[^@\\s]+@example\\.(com|net|org)$", "$randomExampleEmail"},
    FakerToken{"username", "{{$faker.internet.username}}", "string", kWord, "$randomUserName"},
    FakerToken{"password", "{{$faker.internet.password}}", "string", "^.{8,}$", "$randomPassword"},
    FakerToken{"uri", "{{$faker.internet.url}}", "string", "^https?://\\S+$", "$randomUrl"},
    FakerToken{"hostname", "{{$faker.internet.domainName}}", "string", "^[a-z0-9.-]+\\.[a-z]+$",
               "$randomDomainName"},
    FakerToken{"domain_suffix", "{{$faker.internet.domainSuffix}}", "string", "^[a-z]+$",
               "$randomDomainSuffix"},
    FakerToken{"domain_word", "{{$faker.internet.domainWord}}", "string", kWord,
               "$randomDomainWord"},
    FakerToken{"ipv4", "{{$faker.internet.ipv4}}", "string", "^\\d{1,3}(\\.\\d{1,3}){3}$",
               "$randomIP"},
    FakerToken{"ipv6", "{{$faker.internet.ipv6}}", "string", "^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}$",
               "$randomIPV6"},
    FakerToken{"mac", "{{$faker.internet.mac}}", "string", "^[0-9a-f]{2}(:[0-9a-f]{2}){5}$",
               "$randomMACAddress"},
    FakerToken{"user_agent", "{{$faker.internet.userAgent}}", "string", kText, "$randomUserAgent"},
    FakerToken{"protocol", "{{$faker.internet.protocol}}", "string", "^https?$", "$randomProtocol"},
    FakerToken{"semver", "{{$faker.system.semver}}", "string", "^\\d+\\.\\d+\\.\\d+$",
               "$randomSemver"},
    FakerToken{"byte", "{{js: btoa(faker.lorem.word())}}", "string", "^[A-Za-z0-9+/]+=*$", ""},
    // People.
    FakerToken{"first_name", "{{$faker.person.firstName}}", "string", kText, "$randomFirstName"},
    FakerToken{"last_name", "{{$faker.person.lastName}}", "string", kText, "$randomLastName"},
    FakerToken{"full_name", "{{$faker.person.fullName}}", "string", kText, "$randomFullName"},
    FakerToken{"name_prefix", "{{$faker.person.prefix}}", "string", kText, "$randomNamePrefix"},
    FakerToken{"name_suffix", "{{$faker.person.suffix}}", "string", kText, "$randomNameSuffix"},
    FakerToken{"job_title", "{{$faker.person.jobTitle}}", "string", kText, "$randomJobTitle"},
    FakerToken{"job_area", "{{$faker.person.jobArea}}", "string", kText, "$randomJobArea"},
    FakerToken{"job_descriptor", "{{$faker.person.jobDescriptor}}", "string", kText,
               "$randomJobDescriptor"},
    FakerToken{"job_type", "{{$faker.person.jobType}}", "string", kText, "$randomJobType"},
    FakerToken{"phone", "{{$faker.phone.number}}", "string", "\\d", "$randomPhoneNumber"},
    // Places.
    FakerToken{"city", "{{$faker.location.city}}", "string", kText, "$randomCity"},
    FakerToken{"street_name", "{{$faker.location.street}}", "string", kText, "$randomStreetName"},
    FakerToken{"street_address", "{{$faker.location.streetAddress}}", "string", kText,
               "$randomStreetAddress"},
    FakerToken{"country", "{{$faker.location.country}}", "string", kText, "$randomCountry"},
    FakerToken{"country_code", "{{$faker.location.countryCode}}", "string", "^[A-Z]{2}$",
               "$randomCountryCode"},
    FakerToken{"state", "{{$faker.location.state}}", "string", kText, ""},
    FakerToken{"zip_code", "{{$faker.location.zipCode}}", "string", "\\d", ""},
    FakerToken{"latitude", "{{$faker.location.latitude}}", "number", "^-?\\d+(\\.\\d+)?$",
               "$randomLatitude"},
    FakerToken{"longitude", "{{$faker.location.longitude}}", "number", "^-?\\d+(\\.\\d+)?$",
               "$randomLongitude"},
    // Companies, commerce, finance.
    FakerToken{"company", "{{$faker.company.name}}", "string", kText, "$randomCompanyName"},
    FakerToken{"catch_phrase", "{{$faker.company.catchPhrase}}", "string", kText,
               "$randomCatchPhrase"},
    FakerToken{"buzz_phrase", "{{$faker.company.buzzPhrase}}", "string", kText, "$randomBs"},
    FakerToken{"price", "{{$faker.commerce.price}}", "string", "^\\d+(\\.\\d+)?$", "$randomPrice"},
    FakerToken{"product", "{{$faker.commerce.product}}", "string", kText, "$randomProduct"},
    FakerToken{"product_name", "{{$faker.commerce.productName}}", "string", kText,
               "$randomProductName"},
    FakerToken{"product_adjective", "{{$faker.commerce.productAdjective}}", "string", kText,
               "$randomProductAdjective"},
    FakerToken{"product_material", "{{$faker.commerce.productMaterial}}", "string", kText,
               "$randomProductMaterial"},
    FakerToken{"department", "{{$faker.commerce.department}}", "string", kText,
               "$randomDepartment"},
    FakerToken{"currency_code", "{{$faker.finance.currencyCode}}", "string", "^[A-Z]{3}$",
               "$randomCurrencyCode"},
    FakerToken{"currency_name", "{{$faker.finance.currencyName}}", "string", kText,
               "$randomCurrencyName"},
    FakerToken{"currency_symbol", "{{$faker.finance.currencySymbol}}", "string", kAny,
               "$randomCurrencySymbol"},
    FakerToken{"iban", "{{$faker.finance.iban}}", "string", "^[A-Z]{2}\\d{2}[A-Z0-9]+$",
               "$randomBankAccountIban"},
    FakerToken{"bic", "{{$faker.finance.bic}}", "string", "^[A-Z0-9]{8,11}$",
               "$randomBankAccountBic"},
    FakerToken{"account_number", "{{$faker.finance.accountNumber}}", "string", "^\\d+$",
               "$randomBankAccount"},
    FakerToken{"account_name", "{{$faker.finance.accountName}}", "string", kText,
               "$randomBankAccountName"},
    FakerToken{"transaction_type", "{{$faker.finance.transactionType}}", "string", kWord,
               "$randomTransactionType"},
    FakerToken{"bitcoin_address", "{{$faker.finance.bitcoinAddress}}", "string", "^\\w+$",
               "$randomBitcoin"},
    // Text.
    FakerToken{"word", "{{$faker.lorem.word}}", "string", kWord, "$randomLoremWord"},
    FakerToken{"words", "{{$faker.lorem.words}}", "string", kText, "$randomLoremWords"},
    FakerToken{"sentence", "{{$faker.lorem.sentence}}", "string", kText, "$randomLoremSentence"},
    FakerToken{"sentences", "{{$faker.lorem.sentences}}", "string", kText, "$randomLoremSentences"},
    FakerToken{"paragraph", "{{$faker.lorem.paragraph}}", "string", kText, "$randomLoremParagraph"},
    FakerToken{"paragraphs", "{{$faker.lorem.paragraphs}}", "string", kText,
               "$randomLoremParagraphs"},
    FakerToken{"text", "{{$faker.lorem.text}}", "string", kText, "$randomLoremText"},
    FakerToken{"slug", "{{$faker.lorem.slug}}", "string", "^[a-z-]+$", "$randomLoremSlug"},
    FakerToken{"lines", "{{$faker.lorem.lines}}", "string", kText, "$randomLoremLines"},
    FakerToken{"noun", "{{$faker.hacker.noun}}", "string", kText, "$randomNoun"},
    FakerToken{"verb", "{{$faker.hacker.verb}}", "string", kText, "$randomVerb"},
    FakerToken{"ingverb", "{{$faker.hacker.ingverb}}", "string", kText, "$randomIngverb"},
    FakerToken{"adjective", "{{$faker.hacker.adjective}}", "string", kText, "$randomAdjective"},
    FakerToken{"abbreviation", "{{$faker.hacker.abbreviation}}", "string", "^[A-Z0-9]+$",
               "$randomAbbreviation"},
    FakerToken{"phrase", "{{$faker.hacker.phrase}}", "string", kText, "$randomPhrase"},
    FakerToken{"any_word", "{{$faker.word.sample}}", "string", kWord, "$randomWord"},
    FakerToken{"any_words", "{{$faker.word.words}}", "string", kText, "$randomWords"},
    // Numbers, booleans, colours, files, images, databases.
    FakerToken{"integer", "{{$faker.number.int({\"max\": 1000})}}", "number", "^\\d+$",
               "$randomInt"},
    FakerToken{"boolean", "{{$faker.datatype.boolean}}", "boolean", "^(true|false)$",
               "$randomBoolean"},
    FakerToken{"alphanumeric", "{{$faker.string.alphanumeric}}", "string", "^[A-Za-z0-9]$",
               "$randomAlphaNumeric"},
    FakerToken{"color", "{{$faker.color.human}}", "string", kText, "$randomColor"},
    FakerToken{"hex_color", "{{$faker.color.rgb}}", "string", "^#[0-9a-fA-F]{6}$",
               "$randomHexColor"},
    FakerToken{"file_name", "{{$faker.system.fileName}}", "string", kWord, "$randomFileName"},
    FakerToken{"file_type", "{{$faker.system.fileType}}", "string", kWord, "$randomFileType"},
    FakerToken{"file_ext", "{{$faker.system.fileExt}}", "string", kWord, "$randomFileExt"},
    FakerToken{"common_file_name", "{{$faker.system.commonFileName}}", "string", kWord,
               "$randomCommonFileName"},
    FakerToken{"mime_type", "{{$faker.system.mimeType}}", "string", "^[a-z]+/\\S+$",
               "$randomMimeType"},
    FakerToken{"file_path", "{{$faker.system.filePath}}", "string", "^/\\S*$", "$randomFilePath"},
    FakerToken{"directory_path", "{{$faker.system.directoryPath}}", "string", "^/\\S*$",
               "$randomDirectoryPath"},
    FakerToken{"avatar", "{{$faker.image.avatar}}", "string", "^https://\\S+$",
               "$randomAvatarImage"},
    FakerToken{"image_url", "{{$faker.image.url}}", "string", "^https://\\S+$", "$randomImageUrl"},
    FakerToken{"database_column", "{{$faker.database.column}}", "string", kWord,
               "$randomDatabaseColumn"},
    FakerToken{"database_type", "{{$faker.database.type}}", "string", kWord, "$randomDatabaseType"},
    FakerToken{"database_collation", "{{$faker.database.collation}}", "string", kWord,
               "$randomDatabaseCollation"},
    FakerToken{"database_engine", "{{$faker.database.engine}}", "string", kWord,
               "$randomDatabaseEngine"},
};

// OpenAPI `format` -> meaning. Formats of numbers (int32, int64, float, double) are not here:
// numbers are written as literals from their bounds.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kFormats{{
    {"email", "email"},
    {"idn-email", "email"},
    {"uuid", "uuid"},
    {"date-time", "date-time"},
    {"date", "date"},
    {"time", "time"},
    {"uri", "uri"},
    {"url", "uri"},
    {"iri", "uri"},
    {"hostname", "hostname"},
    {"idn-hostname", "hostname"},
    {"ipv4", "ipv4"},
    {"ipv6", "ipv6"},
    {"password", "password"},
}};

// Property and parameter names (lower-cased, without '_', '-' and '.') -> meaning.
constexpr std::array<std::pair<std::string_view, std::string_view>, 36> kNames{{
    {"email", "email"},
    {"emailaddress", "email"},
    {"mail", "email"},
    {"firstname", "first_name"},
    {"givenname", "first_name"},
    {"lastname", "last_name"},
    {"surname", "last_name"},
    {"familyname", "last_name"},
    {"fullname", "full_name"},
    {"username", "username"},
    {"login", "username"},
    {"password", "password"},
    {"phone", "phone"},
    {"phonenumber", "phone"},
    {"mobile", "phone"},
    {"city", "city"},
    {"country", "country"},
    {"countrycode", "country_code"},
    {"state", "state"},
    {"street", "street_address"},
    {"address", "street_address"},
    {"streetaddress", "street_address"},
    {"zip", "zip_code"},
    {"zipcode", "zip_code"},
    {"postalcode", "zip_code"},
    {"postcode", "zip_code"},
    {"company", "company"},
    {"companyname", "company"},
    {"jobtitle", "job_title"},
    {"url", "uri"},
    {"website", "uri"},
    {"homepage", "uri"},
    {"title", "sentence"},
    {"description", "sentence"},
    {"currency", "currency_code"},
    {"uuid", "uuid"},
}};

std::string NameKey(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The expression inside a template's braces ("$faker.internet.email"), or "" when the text is
// not exactly one placeholder.
std::string_view InnerExpression(std::string_view text) {
  if (!StartsWith(text, "{{") || !EndsWith(text, "}}")) return {};
  return Trim(text.substr(2, text.size() - 4));
}

}  // namespace

std::span<const FakerToken> FakerTokens() { return kTokens; }

const FakerToken* FindFakerToken(std::string_view key) {
  for (const FakerToken& token : kTokens) {
    if (token.key == key) return &token;
  }
  return nullptr;
}

const FakerToken* FakerTokenForFormat(std::string_view format) {
  const std::string lower = ToLower(format);
  for (const auto& [name, key] : kFormats) {
    if (name == lower) return FindFakerToken(key);
  }
  return nullptr;
}

const FakerToken* FakerTokenForName(std::string_view name) {
  const std::string key = NameKey(name);
  for (const auto& [candidate, meaning] : kNames) {
    if (candidate == key) return FindFakerToken(meaning);
  }
  return nullptr;
}

const FakerToken* FakerTokenForPostman(std::string_view name) {
  for (const FakerToken& token : kTokens) {
    if (!token.postman.empty() && token.postman == name) return &token;
  }
  return nullptr;
}

const FakerToken* FakerTokenForExpression(std::string_view expression) {
  std::string_view wanted = Trim(expression);
  // The spellings of one faker call: "$faker.x.y", "faker.x.y", "#faker.x.y" (direct form).
  std::string normal;
  if (StartsWith(wanted, "#faker.") || StartsWith(wanted, "faker.")) {
    normal = "$faker." + std::string(wanted.substr(wanted.find('.') + 1));
    wanted = normal;
  }
  for (const FakerToken& token : kTokens) {
    if (InnerExpression(token.text) == wanted) return &token;
  }
  return nullptr;
}

}  // namespace flow::core::convert
