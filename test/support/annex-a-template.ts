/**
 * Ofsted's Annex A List 7 template as the tests hold the code to it: its headers written out here, not imported from
 * reports/, so a change to the code's columns fails the tests instead of changing what they expect.
 */

/** The template's 17 headers, in order. */
export const TEMPLATE_HEADERS = [
  'Child Unique ID',
  'Gender',
  'Ethnicity',
  'Date of Birth',
  'Age of Child (Years)',
  'Does the Child have a Disability',
  'Child Protection Plan Start Date',
  'Initial Category of Abuse',
  'Latest Category of Abuse',
  'Date of the Last Statutory Visit',
  'Was the Child Seen Alone?',
  'Date of latest review conference',
  'Child Protection Plan End Date',
  'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
  'Number of Previous Child Protection Plans',
  'Allocated Team',
  'Allocated Worker',
];

/** The header of the EPO column (the longest; tests index it by name through this). */
export const EPO_HEADER = TEMPLATE_HEADERS[13]!;

/** The columns that must never be blank (what inspectors' tools key and count on). */
export const REQUIRED_HEADERS = [
  'Child Unique ID',
  'Gender',
  'Ethnicity',
  'Does the Child have a Disability',
  'Child Protection Plan Start Date',
  'Initial Category of Abuse',
  'Latest Category of Abuse',
  EPO_HEADER,
  'Number of Previous Child Protection Plans',
  'Allocated Team',
  'Allocated Worker',
];
