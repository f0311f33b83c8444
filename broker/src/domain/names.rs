//! Which names the broker accepts for pacticipants, versions, branches, tags and environments.

/// Longest accepted name, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// Checks a pacticipant, version, branch or tag name: not blank, one line, no control
/// characters, at most [`MAX_NAME_CHARS`]. Returns the problem for people.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("cannot be blank".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("cannot be longer than {MAX_NAME_CHARS} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("cannot contain control characters or line breaks".to_owned());
    }
    if name != name.trim() {
        return Err("cannot start or end with whitespace".to_owned());
    }
    Ok(())
}

/// Checks an environment name: a name as above, without spaces (the CLIs pass it as one word).
pub fn check_environment_name(name: &str) -> Result<(), String> {
    check_name(name)?;
    if name.chars().any(char::is_whitespace) {
        return Err("cannot contain spaces".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in [
            "Foo",
            "order-service",
            "feat/x",
            "1.2.3+build.4",
            "Ünïcode name",
        ] {
            assert_eq!(check_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn refuses_bad_names() {
        for name in [
            "",
            "   ",
            "a\nb",
            "tab\there",
            " lead",
            "trail ",
            &"x".repeat(256),
        ] {
            assert!(check_name(name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn environment_names_have_no_spaces() {
        assert!(check_environment_name("staging").is_ok());
        assert!(check_environment_name("my env").is_err());
    }
}
