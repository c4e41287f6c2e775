#!/usr/bin/env Rscript
# Reference indicator values from R's TTR (an independent implementation) for the
# strategy indicator tests. Reads the shared GBP/USD minute bars (bid and ask files,
# columns timestamp,open,high,low,close) and writes one CSV row per bid bar with:
#   sma      SMA(close, 20)                       TTR::SMA
#   ema      EMA(close, 20)      k = 2/(n+1)      TTR::EMA (SMA seed)
#   wema     EMA(close, 14, wilder = TRUE)        TTR::EMA (k = 1/n, SMA seed)
#   rsi      RSI(close, 14)      Wilder           TTR::RSI defaults
#   atr      ATR(HLC, 14)        Wilder           TTR::ATR defaults
#   dc_high, dc_low  DonchianChannel(HL, 20)      TTR::DonchianChannel
#   vol      volatility(close, n = 21, calc = "close", N = 1)
#            = sample sd of the last 20 log returns
#   spread   runMean(ask close - bid close, 30)   (rows joined on timestamp; NA if absent)
# Missing values are written as NA, numbers with 17 significant digits.
#
# Usage: Rscript scripts/reference/ttr_reference.R <bid.csv> <ask.csv> <out.csv>
# The output derives from shared data: write it to a build or temp directory, never commit it.
suppressPackageStartupMessages(library(TTR))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) {
  cat("usage: ttr_reference.R <bid.csv> <ask.csv> <out.csv>\n", file = stderr())
  quit(status = 2)
}
bid <- read.csv(args[1], colClasses = c("character", rep("numeric", 4)))
ask <- read.csv(args[2], colClasses = c("character", rep("numeric", 4)))

close <- bid$close
hl <- cbind(bid$high, bid$low)
hlc <- cbind(bid$high, bid$low, bid$close)
ask_close <- ask$close[match(bid$timestamp, ask$timestamp)]
spread <- ask_close - close

out <- data.frame(
  timestamp = bid$timestamp,
  sma = as.numeric(SMA(close, n = 20)),
  ema = as.numeric(EMA(close, n = 20)),
  wema = as.numeric(EMA(close, n = 14, wilder = TRUE)),
  rsi = as.numeric(RSI(close, n = 14)),
  atr = as.numeric(ATR(hlc, n = 14)[, "atr"]),
  dc_high = as.numeric(DonchianChannel(hl, n = 20)[, "high"]),
  dc_low = as.numeric(DonchianChannel(hl, n = 20)[, "low"]),
  vol = as.numeric(volatility(close, n = 21, calc = "close", N = 1)),
  spread = if (anyNA(spread)) rep(NA_real_, length(spread)) else as.numeric(runMean(spread, n = 30))
)
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
for (col in names(out)[-1]) out[[col]] <- fmt(out[[col]])
write.csv(out, args[3], row.names = FALSE, quote = FALSE)
