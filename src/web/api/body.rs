//! Reading a JSON request body into its type: it must be an object (serde would also read a
//! struct from an array of its fields), and whole numbers written with a fraction part (`2.0`,
//! which JSON Schema counts as an integer) are read as the integers they are.

use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use super::error::ApiError;

/// The body as `T`; anything but an object, or an object `T` cannot read, is 400
/// `malformed_json`.
///
/// # Errors
/// As above.
pub fn object<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    let Value::Object(fields) = value else {
        return Err(ApiError::malformed_body("the request body must be a JSON object"));
    };
    serde_json::from_value(Value::Object(whole_numbers(fields)))
        .map_err(|error| ApiError::malformed_body(&format!("Json deserialize error: {error}")))
}

fn whole_numbers(fields: Map<String, Value>) -> Map<String, Value> {
    fields.into_iter().map(|(name, value)| (name, whole(value))).collect()
}

fn whole(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            // Exactly representable whole numbers only: beyond 2^53 a float is not exact.
            Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
                #[allow(clippy::cast_possible_truncation, reason = "checked whole and within 2^53 above")]
                let whole = f as i64;
                Value::Number(Number::from(whole))
            }
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Body {
        count: Option<u32>,
        days: Vec<i64>,
    }

    #[test]
    fn an_object_is_read_with_whole_floats_as_integers_and_an_array_is_refused() {
        let body: Body = object(serde_json::json!({"count": 2.0, "days": [1.0, 3]})).unwrap();
        assert_eq!(body, Body { count: Some(2), days: vec![1, 3] });
        assert!(object::<Body>(serde_json::json!([null, []])).is_err());
        assert!(object::<Body>(serde_json::json!({"count": 2.5, "days": []})).is_err());
    }
}
