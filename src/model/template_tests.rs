use super::*;

#[test]
fn unknown_or_unclosed_placeholders_and_a_missing_room_link_are_refused() {
    assert!(check(Channel::Sms, "", "Hi {first_name}: {room_link}").is_ok());
    let e = check(Channel::Sms, "", "Hi {name}: {room_link}").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("{name} is not a placeholder. Use one of: {first_name}, "),
        "{e}"
    );
    assert_eq!(
        check(Channel::Sms, "", "Hi {first_name"),
        Err(TemplateProblem::Unclosed)
    );
    assert_eq!(
        check(Channel::Sms, "", "Hi {first_name}"),
        Err(TemplateProblem::NoRoomLink)
    );
    assert_eq!(
        check(Channel::Email, " ", "{room_link}"),
        Err(TemplateProblem::NoSubject)
    );
    assert_eq!(
        check(Channel::Email, "Hi {nope}", "{room_link}").unwrap_err(),
        TemplateProblem::Unknown("nope".into(), placeholder_names())
    );
    for kind in AlertKind::ALL {
        for channel in Channel::ALL {
            let (subject, body) = kind.default_text(channel);
            assert_eq!(
                check(channel, subject, body),
                Ok(()),
                "{kind:?} {channel:?}"
            );
        }
    }
}

#[test]
fn rendering_fills_every_placeholder() {
    let out = render(
        "Hi {first_name}, {technician_name} is coming ({reference}) {room_link}",
        |p| p.sample().into(),
    );
    assert_eq!(
        out,
        format!(
            "Hi Jo, Sam is coming (CR-7K3M9Q) {}",
            Placeholder::RoomLink.sample()
        )
    );
}

#[test]
fn sms_segments_follow_gsm7_and_ucs2_rules() {
    assert_eq!(
        sms_length(&"a".repeat(160)),
        SmsLength {
            units: 160,
            segments: 1,
            unicode: false
        }
    );
    assert_eq!(sms_length(&"a".repeat(161)).segments, 2);
    assert_eq!(sms_length(&"a".repeat(306)).segments, 2);
    assert_eq!(sms_length(&"a".repeat(307)).segments, 3);
    // € is in the extension table: two units.
    assert_eq!(sms_length("€").units, 2);
    assert_eq!(sms_length(&"é".repeat(160)).segments, 1, "é is GSM-7");
    let emoji = format!("{}🙂", "a".repeat(68));
    assert_eq!(
        sms_length(&emoji),
        SmsLength {
            units: 70,
            segments: 1,
            unicode: true
        }
    );
    assert_eq!(sms_length(&"ā".repeat(71)).segments, 2);
    assert_eq!(sms_length(&"ā".repeat(134)).segments, 2);
    assert_eq!(sms_length(&"ā".repeat(135)).segments, 3);
    assert_eq!(sms_length("").segments, 0);
}
