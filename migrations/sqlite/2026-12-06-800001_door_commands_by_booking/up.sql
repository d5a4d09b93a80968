-- Remote unlocks are counted per booking and hour (the limit) and listed per booking.
CREATE INDEX door_commands_booking ON door_commands (booking_id, requested_at);
