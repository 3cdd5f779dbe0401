/** Working-day calendar for mainland China (Asia/Shanghai), DOMAIN.md §6. */

export { endOfShanghaiDay, tryDayNumber } from './civil-day';
export {
  HOLIDAY_NAMES,
  HOLIDAYS_CN,
  type HolidayBlock,
  type HolidayData,
  type HolidayNotice,
  type HolidayYear,
  validateHolidayData,
} from './holiday-data';
export { createCalendar, shanghaiDay, uncoveredYears, type WorkingDayCalendar } from './working-days';
