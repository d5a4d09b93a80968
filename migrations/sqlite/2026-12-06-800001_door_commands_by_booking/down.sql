DROP INDEX door_commands_booking;
