//! Matching rules and generators of the typed V4 reader, read by category straight from the
//! text, with the `Value` reader's conversions (`matcher_from_fields`,
//! `generator_from_fields`); single-valued categories (`path`, `method`, `status`), whose
//! shape is decided by their members, go through a `Value` and that reader's code.

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Key, Object, converted, refuse};
use crate::model::{
    Combine, Generator, GeneratorCategory, Generators, Matcher, MatchingRules, RuleCategory,
    RuleList,
};
use crate::spec::json_path::At;
use crate::spec::rules::{
    GeneratorFields, MatcherFields, generator_from_fields, matcher_from_fields,
    read_generator_category, read_rule_category,
};

/// Refuses a category named twice in one object: a `Value` object keeps the last value only,
/// while this reader would read both. (Aliases such as `header` and `headers` are different
/// names, and both readers merge them.)
fn first_time<'a, 'de, E: de::Error>(
    seen: &'a mut Vec<Key<'de>>,
    name: Key<'de>,
) -> Result<&'a Key<'de>, E> {
    if seen.iter().any(|s| s.as_str() == name.as_str()) {
        return Err(refuse("category named twice"));
    }
    seen.push(name);
    Ok(seen.last().expect("just pushed"))
}

/// A `matchingRules` object, by category.
pub(super) struct Rules(pub(super) MatchingRules);

impl<'de> Deserialize<'de> for Rules {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RulesVisitor)
    }
}

struct RulesVisitor;

impl<'de> Visitor<'de> for RulesVisitor {
    type Value = Rules;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("matching rules by category")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rules, A::Error> {
        let mut rules = MatchingRules::default();
        let mut seen = Vec::new();
        while let Some(name) = map.next_key::<Key<'de>>()? {
            let name = first_time(&mut seen, name)?;
            let category =
                RuleCategory::parse(name.as_str()).ok_or_else(|| refuse("unknown category"))?;
            let entries = rules.categories.entry(category).or_default();
            if category.is_single_valued() {
                // Either one rule list or rule lists by key: left to the `Value` reader's code.
                let value = map.next_value()?;
                converted(read_rule_category(category, value, entries, &At::ROOT))?;
            } else {
                map.next_value_seed(RuleLists(entries))?;
            }
        }
        Ok(Rules(rules))
    }
}

/// Reads a category's rule lists by key into the category's entries.
struct RuleLists<'a>(&'a mut IndexMap<String, RuleList>);

impl<'de> DeserializeSeed<'de> for RuleLists<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RuleLists<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("rule lists by key")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let key = key.into_string();
            let parts = map.next_value::<Object<RuleListParts>>()?.0;
            let list = RuleList {
                matchers: parts.matchers.0,
                combine: parts.combine.map_or(Combine::And, |c| c.0),
            };
            self.0.insert(key, list);
        }
        Ok(())
    }
}

/// A rule list with `matchers` (one written as a bare matcher is refused).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleListParts {
    matchers: Matchers,
    combine: Option<CombineField>,
}

/// A `matchers` array, each matcher converted as soon as it is read (`MatcherFields` is
/// large, and most lists hold one matcher).
struct Matchers(Vec<Matcher>);

impl<'de> Deserialize<'de> for Matchers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(MatchersVisitor)
    }
}

struct MatchersVisitor;

impl<'de> Visitor<'de> for MatchersVisitor {
    type Value = Matchers;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of matchers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Matchers, A::Error> {
        let mut matchers = Vec::with_capacity(1);
        while let Some(fields) = seq.next_element::<Object<MatcherFields>>()? {
            matchers.push(converted(matcher_from_fields(fields.0, &At::ROOT))?);
        }
        Ok(Matchers(matchers))
    }
}

/// A rule list's `combine`, read as `rules::read_combine` reads it (`null` is absent, hence
/// `AND`), without allocating the string.
struct CombineField(Combine);

impl<'de> Deserialize<'de> for CombineField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CombineVisitor)
    }
}

struct CombineVisitor;

impl<'de> Visitor<'de> for CombineVisitor {
    type Value = CombineField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"AND\" or \"OR\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CombineField, E> {
        if v.eq_ignore_ascii_case("and") {
            Ok(CombineField(Combine::And))
        } else if v.eq_ignore_ascii_case("or") {
            Ok(CombineField(Combine::Or))
        } else {
            Err(refuse("unknown combine"))
        }
    }
}

/// A `generators` object, by category.
pub(super) struct Gens(pub(super) Generators);

impl<'de> Deserialize<'de> for Gens {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(GensVisitor)
    }
}

struct GensVisitor;

impl<'de> Visitor<'de> for GensVisitor {
    type Value = Gens;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("generators by category")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Gens, A::Error> {
        let mut generators = Generators::default();
        let mut seen = Vec::new();
        while let Some(name) = map.next_key::<Key<'de>>()? {
            let name = first_time(&mut seen, name)?;
            let category = GeneratorCategory::parse(name.as_str())
                .ok_or_else(|| refuse("unknown category"))?;
            let entries = generators.categories.entry(category).or_default();
            if category.is_single_valued() {
                let value = map.next_value()?;
                converted(read_generator_category(category, value, entries, &At::ROOT))?;
            } else {
                map.next_value_seed(GeneratorsByKey(entries))?;
            }
        }
        Ok(Gens(generators))
    }
}

/// Reads a category's generators by key into the category's entries.
struct GeneratorsByKey<'a>(&'a mut IndexMap<String, Generator>);

impl<'de> DeserializeSeed<'de> for GeneratorsByKey<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for GeneratorsByKey<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("generators by key")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let key = key.into_string();
            let fields = map.next_value::<Object<GeneratorFields>>()?.0;
            let generator = converted(generator_from_fields(fields, &At::ROOT))?;
            self.0.insert(key, generator);
        }
        Ok(())
    }
}
