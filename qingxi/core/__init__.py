"""What every area shares: settings, language, refusals, permissions, the audit log, codes and QR
codes, the clock, photos (one staging helper), places (river, villages, phone numbers) and the one
acting helper every command runs in. Import the module you need: `from qingxi.core import photos`."""
