// Moved to app/verify.ts (issue #15); this entry goes once every caller runs app/verify.
import { verifyMain } from '../app/verify';
export * from '../app/verify';

if (require.main === module) void verifyMain();
