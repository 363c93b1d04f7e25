package lang

import (
	"context"
	"testing"

	"gokist/internal/pyref"
)

// TestDatetimeMatchesCPython runs datetime calls as cells and in CPython 3.11: reprs, or
// error class and message, must be the same.
func TestDatetimeMatchesCPython(t *testing.T) {
	setup := "from datetime import datetime, date, timedelta, timezone\nd = datetime(2022, 10, 24, 19, 0, 1, 200000)"
	cells := []string{
		"d", "str(d)", "datetime(2022, 1, 1)", "datetime(2022, 1, 1, 5)", "datetime(2022, 1, 1, 5, 6, 7)", "datetime(2022, 2, 29)", "datetime(2022, 13, 1)", "datetime(2022, 1, 1, 24)",
		"datetime(10000, 1, 1)", "datetime(2022, 1, 1.5)", "datetime(2022, 1, 1, tzinfo=timezone.utc)", "str(datetime(2022, 1, 1, tzinfo=timezone.utc))", "timezone.utc",
		"(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, d.tzinfo)", "d.isoformat()", "d.isoformat(' ')", "d.date()", "str(d.date())", "d.weekday(), d.isoweekday()",
		"d.strftime('%Y-%m-%d %H:%M:%S.%f %j %a %A %b %B %y %p %I %%')", "d.replace(year=2020, microsecond=0)", "d.replace(month=2, day=30)", "d.timestamp()",
		"datetime.fromisoformat('2022-10-24T19:00:01.2')", "datetime.fromisoformat('2022-10-24 19:00')", "datetime.fromisoformat('2022-10-24')", "datetime.fromisoformat('2022-10-24T19:00:01Z')",
		"datetime.fromisoformat('2022-10-24T19:00:01.123456+00:00')", "datetime.fromisoformat('24/10/2022')",
		"datetime.strptime('2022-10-24 19:00:01', '%Y-%m-%d %H:%M:%S')", "datetime.strptime('24 Oct 2022 07:05 PM', '%d %b %Y %I:%M %p')", "datetime.strptime('2022-10-24', '%Y/%m/%d')",
		"datetime.strptime('2022-10-24x', '%Y-%m-%d')", "datetime.strptime('2022-297', '%Y-%j')", "datetime.strptime('19:00:01.5', '%H:%M:%S.%f')", "datetime.fromtimestamp(1666638001.2, timezone.utc)",
		"timedelta(days=1, hours=2)", "timedelta(0)", "timedelta(seconds=-1)", "timedelta(microseconds=1.5)", "timedelta(weeks=1, minutes=90, milliseconds=1)", "timedelta(days=1e9)",
		"str(timedelta(days=2, seconds=3, microseconds=500000))", "str(timedelta(seconds=-1))", "str(timedelta(days=1))", "str(timedelta(hours=25))",
		"timedelta(hours=1).total_seconds()", "timedelta(days=-1, seconds=5).days, timedelta(days=-1, seconds=5).seconds", "timedelta(hours=1) * 2.5", "timedelta(hours=1) / 7",
		"timedelta(hours=1) / timedelta(minutes=7)", "timedelta(hours=1) // timedelta(minutes=7)", "timedelta(hours=1) // 7", "-timedelta(hours=1)", "abs(timedelta(hours=-1))",
		"timedelta(hours=1) < timedelta(minutes=61)", "timedelta(hours=1) == timedelta(minutes=60)", "timedelta(hours=1) + 1",
		"d + timedelta(hours=5)", "d - timedelta(days=400)", "d - datetime(2022, 1, 1)", "datetime(2022, 1, 1) - d", "d < datetime(2023, 1, 1)", "d == datetime(2022, 10, 24, 19, 0, 1, 200000)",
		"d - datetime(2022, 1, 1, tzinfo=timezone.utc)", "d == 3", "datetime(9999, 12, 31) + timedelta(days=1)",
		"date(2022, 10, 24)", "str(date(2022, 10, 24))", "date(2022, 10, 24) + timedelta(days=10)", "date(2022, 10, 24) - timedelta(seconds=1)", "date(2022, 10, 24) - date(2022, 1, 1)",
		"date(2022, 10, 24).isoformat(), date(2022, 10, 24).strftime('%d/%m/%Y'), date(2022, 10, 24).weekday()", "date(2022, 2, 30)",
		"sorted([datetime(2022, 3, 1), datetime(2021, 1, 1)])",
	}
	want := pyref.Batch(t, setup, cells)
	s := NewSession()
	if _, err := s.Execute(context.Background(), setup, nil); err != nil {
		t.Fatal(err)
	}
	checkCellsAgainstPython(t, s, cells, want, nil)
}

// TestDatetimeWithAstropyTime: astropy's Time takes datetime objects (format datetime)
// and gives them back, as astropy 5.2 does.
func TestDatetimeWithAstropyTime(t *testing.T) {
	setup := "from datetime import datetime, timedelta, timezone\nfrom astropy.time import Time\nd = datetime(2022, 10, 24, 19, 0, 1, 200000)"
	cells := []string{
		"Time(d)", "Time(d).isot", "Time([d, d + timedelta(seconds=30)])", "Time(d, scale='tai').utc.iso", "Time(d).datetime == d", "Time(d).datetime",
		"Time(datetime(2022, 1, 1, tzinfo=timezone.utc))", "Time(d, format='isot')", "Time('2022-10-24T19:00:01.2').to_datetime()", "(Time(d) - Time(d - timedelta(hours=1))).sec", "str(Time([d, d, d]).datetime)",
	}
	want := pyref.Batch(t, "from astropy.utils import iers\niers.conf.auto_download = False\n"+setup, cells)
	s := NewSession()
	if _, err := s.Execute(context.Background(), setup, nil); err != nil {
		t.Fatal(err)
	}
	checkCellsAgainstPython(t, s, cells, want, nil)
}
