"""The scheduling service: directories, work schedules, calendar, appointments, waiting list."""
