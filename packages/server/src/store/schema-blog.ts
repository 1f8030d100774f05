/** Tables of the blog feature (filled in by the feature). */
export interface BlogTables {}
