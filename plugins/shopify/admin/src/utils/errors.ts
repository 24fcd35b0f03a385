/** The API's message for a refused request (400/404/409), else the transport's (network error, timeout). */
export const messageOf = (error: unknown): string =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? (error as Error).message;
