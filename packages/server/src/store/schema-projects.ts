/** Tables of the projects feature (filled in by the feature). */
export interface ProjectsTables {}
