"""Studio: OBS control for the live/recording classroom and video meetings, RTMP callbacks."""
