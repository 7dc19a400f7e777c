# Ends a check's serve run early (see probe-script.ts): tells it through its stop FIFO.
# Only an existing FIFO is written (a plain file or nothing there: nothing happens).
#   timeout 2 bash -c "$STOP_SERVE_SH" wp-stop DIR/stop
if [ -p "$1" ]; then printf 'stop\n' > "$1"; fi
true
