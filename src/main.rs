fn main() {
    imrf_release::app::start();
}
