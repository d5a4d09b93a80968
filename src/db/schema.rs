//! Table definitions, written by hand with types both backends share (`diesel print-schema`
//! differs per backend). Must match `migrations/sqlite` and `migrations/postgres`.

diesel::table! {
    operators (id) {
        id -> Text,
        name -> Text,
        legal_contact -> Text,
        privacy_contact -> Text,
        created_at -> Timestamp,
        imprint -> Text,
        privacy_policy -> Text,
        accessibility_statement -> Text,
        access_log_retention_days -> Integer,
    }
}

diesel::table! {
    hubs (id) {
        id -> Text,
        operator_id -> Text,
        slug -> Text,
        name -> Text,
        street -> Text,
        postcode -> Text,
        town -> Text,
        time_zone -> Text,
        max_concurrent_per_user -> Integer,
        max_upcoming_per_user -> Integer,
        created_at -> Timestamp,
        no_show_minutes -> Integer,
        pin_grace_minutes -> Integer,
        lockdown_since -> Nullable<Timestamp>,
        lockdown_lifted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    opening_hours (hub_id, weekday, opens_minute) {
        hub_id -> Text,
        weekday -> Integer,
        opens_minute -> Integer,
        closes_minute -> Integer,
    }
}

diesel::table! {
    closures (id) {
        id -> Text,
        hub_id -> Text,
        first_day -> Date,
        last_day -> Date,
        label -> Text,
    }
}

diesel::table! {
    spaces (id) {
        id -> Text,
        hub_id -> Text,
        name -> Text,
        kind -> Text,
        capacity -> Integer,
        enabled -> Bool,
        booking_unit -> Text,
        slot_minutes -> Integer,
        min_minutes -> Integer,
        max_minutes -> Integer,
        max_days_ahead -> Integer,
        approval_required -> Bool,
        created_at -> Timestamp,
        check_in_modes -> Text,
        position -> Integer,
        guests_allowed -> Bool,
        description -> Text,
        equipment -> Text,
        accessibility -> Text,
    }
}

diesel::table! {
    doors (id) {
        id -> Text,
        hub_id -> Text,
        name -> Text,
        is_entrance -> Bool,
        created_at -> Timestamp,
        bridge_id -> Nullable<Text>,
        modbus_unit_id -> Nullable<Integer>,
        disabled -> Bool,
    }
}

diesel::table! {
    door_spaces (door_id, space_id) {
        door_id -> Text,
        space_id -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        locale -> Text,
        status -> Text,
        password_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (id) {
        id -> Text,
        user_id -> Text,
        role -> Text,
        hub_id -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bookings (id) {
        id -> Text,
        space_id -> Text,
        user_id -> Nullable<Text>,
        start_at -> Timestamp,
        end_at -> Timestamp,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        pin_verifier -> Nullable<Text>,
        calendar_sequence -> Integer,
        reminder_sent_at -> Nullable<Timestamp>,
        completed_without_check_in -> Bool,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        ics -> Nullable<Text>,
        ics_method -> Nullable<Text>,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        new_email -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    throttle_counters (key_hash) {
        key_hash -> Text,
        window_ends_at -> Timestamp,
        attempts -> Integer,
    }
}

diesel::table! {
    password_reset_requests (id) {
        id -> Text,
        email -> Text,
        requested_at -> Timestamp,
    }
}

diesel::table! {
    bridges (id) {
        id -> Text,
        hub_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        last_seen_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sensors (id) {
        id -> Text,
        hub_id -> Text,
        space_id -> Nullable<Text>,
        bridge_id -> Nullable<Text>,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    access_events (id) {
        id -> Text,
        hub_id -> Text,
        door_id -> Nullable<Text>,
        booking_id -> Nullable<Text>,
        kind -> Text,
        reason -> Nullable<Text>,
        offline -> Bool,
        occurred_at -> Timestamp,
        received_at -> Timestamp,
    }
}

diesel::table! {
    presence_readings (id) {
        id -> Text,
        hub_id -> Text,
        sensor_id -> Nullable<Text>,
        space_id -> Nullable<Text>,
        presence -> Text,
        observed_at -> Timestamp,
        received_at -> Timestamp,
    }
}

diesel::table! {
    presence_aggregates (space_id, bucket_start) {
        space_id -> Text,
        bucket_start -> Timestamp,
        present_seconds -> Integer,
        observed_seconds -> Integer,
    }
}

diesel::table! {
    door_states (door_id) {
        door_id -> Text,
        state -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alarms (id) {
        id -> Text,
        hub_id -> Text,
        door_id -> Nullable<Text>,
        kind -> Text,
        raised_at -> Timestamp,
        cleared_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        last_notified_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    door_commands (id) {
        id -> Text,
        hub_id -> Text,
        door_id -> Text,
        booking_id -> Nullable<Text>,
        requested_by -> Nullable<Text>,
        status -> Text,
        requested_at -> Timestamp,
        deadline -> Timestamp,
        updated_at -> Timestamp,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    cards (id) {
        id -> Text,
        hub_id -> Text,
        user_id -> Text,
        verifier -> Text,
        label -> Text,
        uid_hint -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        hub_id -> Nullable<Text>,
        action -> Text,
        subject -> Text,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_runs (id) {
        id -> Text,
        job -> Text,
        hub_id -> Nullable<Text>,
        started_at -> Timestamp,
        finished_at -> Timestamp,
        rows_deleted -> Integer,
    }
}

diesel::table! {
    catalogue_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    hub_snapshot_versions (hub_id) {
        hub_id -> Text,
        content_hash -> BigInt,
        version -> BigInt,
    }
}

diesel::table! {
    secret_check (id) {
        id -> Integer,
        check_value -> Text,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    booking_series (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        space_id -> Text,
        frequency -> Text,
        interval_count -> Integer,
        weekdays -> Text,
        until_date -> Nullable<Date>,
        occurrences -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    booking_series_dates (booking_id) {
        booking_id -> Text,
        series_id -> Text,
    }
}

diesel::table! {
    waitlist_entries (id) {
        id -> Text,
        user_id -> Text,
        space_id -> Text,
        start_at -> Timestamp,
        end_at -> Timestamp,
        status -> Text,
        created_at -> Timestamp,
        offered_at -> Nullable<Timestamp>,
        offer_expires_at -> Nullable<Timestamp>,
        booking_id -> Nullable<Text>,
    }
}

diesel::table! {
    booking_guests (id) {
        id -> Text,
        booking_id -> Text,
        name -> Text,
        email -> Text,
        locale -> Text,
        pin_verifier -> Text,
        created_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    space_photos (id) {
        id -> Text,
        space_id -> Text,
        position -> Integer,
        image -> Binary,
        width -> Integer,
        height -> Integer,
        content_hash -> Text,
        alt_de -> Text,
        alt_en -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    floor_plans (hub_id) {
        hub_id -> Text,
        svg -> Text,
        width -> Integer,
        height -> Integer,
        content_hash -> Text,
        alt_de -> Text,
        alt_en -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    floor_plan_spots (space_id) {
        space_id -> Text,
        x -> Integer,
        y -> Integer,
    }
}

diesel::table! {
    house_rules (operator_id, version) {
        operator_id -> Text,
        version -> Integer,
        body -> Text,
        published_at -> Timestamp,
        published_by -> Nullable<Text>,
    }
}

diesel::table! {
    house_rule_acceptances (user_id, operator_id, version) {
        user_id -> Text,
        operator_id -> Text,
        version -> Integer,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    spaces_asking_purpose (space_id) {
        space_id -> Text,
    }
}

diesel::table! {
    booking_purposes (booking_id) {
        booking_id -> Text,
        purpose -> Text,
        head_count -> Integer,
    }
}

diesel::joinable!(hubs -> operators (operator_id));
diesel::joinable!(opening_hours -> hubs (hub_id));
diesel::joinable!(closures -> hubs (hub_id));
diesel::joinable!(spaces -> hubs (hub_id));
diesel::joinable!(doors -> hubs (hub_id));
diesel::joinable!(door_spaces -> doors (door_id));
diesel::joinable!(door_spaces -> spaces (space_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(bookings -> spaces (space_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(bridges -> hubs (hub_id));
diesel::joinable!(sensors -> hubs (hub_id));
diesel::joinable!(access_events -> hubs (hub_id));
diesel::joinable!(presence_readings -> hubs (hub_id));
diesel::joinable!(door_states -> doors (door_id));
diesel::joinable!(alarms -> hubs (hub_id));
diesel::joinable!(door_commands -> doors (door_id));
diesel::joinable!(cards -> hubs (hub_id));
diesel::joinable!(space_photos -> spaces (space_id));
diesel::joinable!(floor_plans -> hubs (hub_id));
diesel::joinable!(floor_plan_spots -> spaces (space_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(booking_series_dates -> booking_series (series_id));
diesel::joinable!(booking_series_dates -> bookings (booking_id));
diesel::joinable!(booking_guests -> bookings (booking_id));

diesel::allow_tables_to_appear_in_same_query!(
    operators,
    hubs,
    opening_hours,
    closures,
    spaces,
    doors,
    door_spaces,
    users,
    user_roles,
    api_tokens,
    bookings,
    sessions,
    email_tokens,
    throttle_counters,
    password_reset_requests,
    bridges,
    sensors,
    access_events,
    presence_readings,
    presence_aggregates,
    door_states,
    alarms,
    door_commands,
    audit_log,
    mail_outbox,
    job_runs,
    cards,
    catalogue_version,
    hub_snapshot_versions,
    secret_check,
    calendar_feeds,
    booking_series,
    booking_series_dates,
    waitlist_entries,
    booking_guests,
    space_photos,
    house_rules,
    house_rule_acceptances,
    spaces_asking_purpose,
    booking_purposes,
    floor_plans,
    floor_plan_spots,
);
