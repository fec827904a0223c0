// The mentoring forms: when nothing was chosen yet, the time zone select
// starts at the device's own UTC offset. Without scripts it starts at
// UTC+0 and the member picks their zone themself.

const zone = document.querySelector("select[data-guess-zone]");
if (zone) {
  const offset = String(-new Date().getTimezoneOffset());
  if ([...zone.options].some((o) => o.value === offset)) zone.value = offset;
}
